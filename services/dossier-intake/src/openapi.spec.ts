import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { intakeOpenApiDocument } from './openapi';

// contracts/http/dossier-intake.openapi.json is the committed API contract. It must be exactly what the code
// generates: a changed controller or DTO without regenerating fails here. Regenerate with
//   WRITE_OPENAPI=1 npx jest -c jest.unit.config.js services/dossier-intake/src/openapi
const committed = path.resolve(__dirname, '../../../contracts/http/dossier-intake.openapi.json');

describe('contracts/http/dossier-intake.openapi.json', () => {
  it('is the document the code generates', async () => {
    const generated = `${JSON.stringify(await intakeOpenApiDocument(), null, 2)}\n`;
    if (process.env.WRITE_OPENAPI === '1') writeFileSync(committed, generated);
    expect(readFileSync(committed, 'utf8')).toBe(generated);
  });

  it('describes the canonical endpoints of intake-api.md behind bearer authentication', async () => {
    const document = await intakeOpenApiDocument();
    expect(Object.keys(document.paths).sort()).toEqual([
      '/v1/compat/vbdlis/tiepnhan',
      '/v1/dossiers',
      '/v1/dossiers/{dossierCode}',
      '/v1/dossiers/{dossierCode}/documents/{sha256}',
      '/v1/dossiers/{dossierCode}/supplements',
      '/v1/dossiers/{dossierCode}/withdrawal',
      '/v1/dossiers:import',
      '/v1/files/{sha256}',
      '/v1/subscriptions/webhook',
    ]);
    expect(document.paths['/v1/dossiers']!.post!.security).toEqual([{ bearer: [] }]);
  });
});
