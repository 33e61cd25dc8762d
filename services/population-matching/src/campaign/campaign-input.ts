import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One land-user record of a campaign file (CSV with a header line, or NDJSON). */
export interface LandUserRow {
  /** 0-based position among the file's records (header excluded). */
  position: number;
  recordId: string;
  communeCode?: string;
  mapSheetNumber?: string;
  parcelNumber?: string;
  fullName: string;
  personalIdNumber: string;
  dateOfBirth?: string;
  gender?: string;
  /** The generator's truth when the file carries it (sandbox exports); never used for matching. */
  expected?: string;
  /** Why the row cannot be matched (missing name or number); undefined when it can. */
  invalid?: string;
}

// Column names accepted for each field (English, and the Vietnamese ones of cadastral exports).
const aliases: Record<string, string> = {
  recordid: 'recordId',
  id: 'recordId',
  plot: 'recordId',
  plotid: 'recordId',
  commune: 'communeCode',
  communecode: 'communeCode',
  maxa: 'communeCode',
  mapsheet: 'mapSheetNumber',
  mapsheetnumber: 'mapSheetNumber',
  sohieutobando: 'mapSheetNumber',
  parcel: 'parcelNumber',
  parcelnumber: 'parcelNumber',
  sothututhua: 'parcelNumber',
  name: 'fullName',
  fullname: 'fullName',
  hovaten: 'fullName',
  idnumber: 'personalIdNumber',
  personalidnumber: 'personalIdNumber',
  sodinhdanh: 'personalIdNumber',
  socmnd: 'personalIdNumber',
  dob: 'dateOfBirth',
  dateofbirth: 'dateOfBirth',
  ngaysinh: 'dateOfBirth',
  gender: 'gender',
  gioitinh: 'gender',
  expected: 'expected',
};

/** Splits one CSV line (RFC 4180 quoting; fields do not span lines in these exports). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

function normaliseGender(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase();
  if (!v) return undefined;
  if (['male', 'nam', '1', 'm'].includes(v)) return 'MALE';
  if (['female', 'nữ', 'nu', '2', 'f'].includes(v)) return 'FEMALE';
  return undefined;
}

export function toRow(position: number, raw: Record<string, unknown>): LandUserRow {
  const get = (key: string): string | undefined => {
    const v = raw[key];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
  };
  const fullName = (raw.fullName as string | undefined) ?? '';
  const personalIdNumber = (get('personalIdNumber') ?? '').replace(/\s/g, '');
  const invalid = !fullName.trim()
    ? 'MISSING_NAME'
    : !/^(\d{9}|\d{12})$/.test(personalIdNumber)
      ? 'INVALID_NUMBER'
      : undefined;
  return {
    position,
    recordId: get('recordId') ?? `row-${position + 1}`,
    communeCode: get('communeCode'),
    mapSheetNumber: get('mapSheetNumber'),
    parcelNumber: get('parcelNumber'),
    fullName,
    personalIdNumber,
    dateOfBirth: get('dateOfBirth'),
    gender: normaliseGender(get('gender')),
    expected: get('expected'),
    ...(invalid ? { invalid } : {}),
  };
}

/** Reads a campaign file record by record (constant memory): `.csv` with a header line, otherwise NDJSON. */
export async function* readLandUsers(file: string): AsyncGenerator<LandUserRow> {
  const csv = file.toLowerCase().endsWith('.csv');
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let header: string[] | undefined;
  let position = 0;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    if (csv) {
      const fields = splitCsvLine(line);
      if (!header) {
        header = fields.map(
          (h) =>
            aliases[
              h
                .replace(/^\uFEFF/, '')
                .trim()
                .toLowerCase()
                .replace(/[\s_-]/g, '')
            ] ?? h,
        );
        continue;
      }
      yield toRow(position, Object.fromEntries(header.map((h, i) => [h, fields[i]])));
    } else {
      let raw: Record<string, unknown>;
      try {
        const parsed = JSON.parse(line) as unknown;
        raw = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
      } catch {
        raw = {};
      }
      const mapped = Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [aliases[k.toLowerCase().replace(/[\s_-]/g, '')] ?? k, v]),
      );
      yield toRow(position, mapped);
    }
    position += 1;
  }
}
