import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isReasonCode, reasonCodes } from './reason-codes';

const schemas = path.resolve(__dirname, '../../../../../../contracts/events/schemas');

describe('reason codes, a closed list', () => {
  it('is the enum of the reasons in every match event schema, in the same order', () => {
    for (const file of ['match-completed.v1.json', 'match-review-required.v1.json', 'match-resolved.v1.json']) {
      const schema = JSON.parse(readFileSync(path.join(schemas, file), 'utf8')) as {
        definitions: { matchReasons: { items: { enum: string[] } } };
      };
      expect({ file, codes: schema.definitions.matchReasons.items.enum }).toEqual({ file, codes: [...reasonCodes] });
    }
  });

  it('tells its codes from retired or unknown ones', () => {
    expect(new Set(reasonCodes).size).toBe(reasonCodes.length);
    expect(isReasonCode('DOB_DAY_MONTH_SWAPPED')).toBe(true);
    expect(isReasonCode('NO_REGISTRY_RECORD')).toBe(false);
  });
});
