import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Proves the architecture rules are enforced by lint, not just written down: a service importing another service,
// and domain code importing a framework or driver, are errors.
const root = path.resolve(__dirname, '../..');

function lintTemporaryFile(relativePath: string, source: string): string[] {
  const file = path.join(root, relativePath);
  writeFileSync(file, source);
  try {
    // ESLint runs as its own process, exactly as `npm run lint` runs it (its config is an ES module).
    let output: string;
    try {
      output = execFileSync(
        process.execPath,
        [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', file],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
    } catch (error) {
      // Exit code 1 means "problems found"; anything else (no output) is a real failure.
      const stdout = (error as { stdout?: string }).stdout;
      if (!stdout) throw error;
      output = stdout;
    }
    const [result] = JSON.parse(output) as { messages: { ruleId: string | null; message: string }[] }[];
    return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
  } finally {
    rmSync(file, { force: true });
  }
}

describe('module boundaries', () => {
  beforeAll(() => {
    // The Nx rule reads the cached project graph; computing it takes a second.
    execFileSync(process.execPath, [require.resolve('nx/bin/nx'), 'show', 'projects'], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      stdio: 'ignore',
    });
  });

  it('rejects a service importing another service', () => {
    const messages = lintTemporaryFile(
      'services/dossier-intake/src/dossier/application/lint-probe-a.ts',
      "import { CaseState } from '../../../../registration-office/src/case/domain/case';\nexport const probe = CaseState;\n",
    );
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('rejects domain code importing mongoose', () => {
    const messages = lintTemporaryFile(
      'services/registration-office/src/case/domain/lint-probe-b.ts',
      "import { Schema } from 'mongoose';\nexport const probe = Schema;\n",
    );
    expect(messages).toContainEqual(expect.stringMatching(/^no-restricted-imports: .*mongoose/));
  });

  it('rejects the domain kernel library importing NestJS', () => {
    const messages = lintTemporaryFile(
      'libs/kernel/src/lint-probe-c.ts',
      "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n",
    );
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('accepts a service importing a shared library through its alias', () => {
    const messages = lintTemporaryFile(
      'services/notification/src/status/lint-probe-d.ts',
      "import { maskPersonalId } from '@lienthong/kernel';\nexport const probe = maskPersonalId('056080001234');\n",
    );
    expect(messages).toEqual([]);
  });
});
