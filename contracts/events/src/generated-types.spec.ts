import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The TypeScript types and schema objects in src/generated/ must be exactly what the schemas generate: a schema edit
// without `npm run contracts:generate`, or a hand edit of a generated file, fails here.
describe('src/generated/', () => {
  const generatedDir = path.join(__dirname, 'generated');
  // The generator is an ES module script, which Jest's CommonJS runtime cannot import, so it runs in its own Node
  // process and prints the files instead of writing them; the comparison happens here, in memory.
  const expected = JSON.parse(
    execFileSync(process.execPath, [path.join(__dirname, '../generate-types.mjs'), '--print'], { encoding: 'utf8' }),
  ) as Record<string, string>;

  it('holds exactly the generated files', () => {
    expect(readdirSync(generatedDir).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.keys(expected))('%s is up to date with the schemas', (file) => {
    expect(readFileSync(path.join(generatedDir, file), 'utf8')).toBe(expected[file]);
  });
});
