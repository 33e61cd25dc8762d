// Compiles every service and library (TypeScript, decorators with metadata) into dist/ with SWC, keeping the
// repository's layout: services/<name>/src/main.ts becomes dist/services/<name>/src/main.js. Type checking is a
// separate step (`npm run typecheck`); this only transpiles, in a second or two.
import { readdir, mkdir, writeFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { transformFile } = require('@swc/core');
const { swcOptions, root } = require('./swc-options.cjs');

const outDir = path.join(root, 'dist');
const sources = ['services', 'libs', 'contracts', 'deploy/sandboxes', 'test/bench', 'test/support', 'test/faults'];
const isSource = (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !/\.(spec|integration-spec|e2e-spec|fault-spec)\.ts$/.test(f);

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'test') continue;
      yield* walk(full);
    } else if (isSource(entry.name)) yield full;
  }
}

const started = Date.now();
await rm(outDir, { recursive: true, force: true });
let count = 0;
const jobs = [];
for (const top of sources) {
  const dir = path.join(root, top);
  if (!(await stat(dir).catch(() => null))) continue;
  for await (const file of walk(dir)) {
    const target = path.join(outDir, path.relative(root, file)).replace(/\.ts$/, '.js');
    jobs.push(
      transformFile(file, { ...swcOptions(), filename: file, outputPath: target }).then(async ({ code }) => {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, code);
        count += 1;
      }),
    );
  }
}
await Promise.all(jobs);
console.log(`built ${count} files into dist/ in ${Date.now() - started} ms`);
