import { randomUUID } from 'node:crypto';
import { devToken } from '@lienthong/testing';
import { startIntakeHttpApp, type IntakeHttpApp } from '../../../testing/intake-http-app';

// Every malformed submission gets a 4xx RFC 9457 problem, never a 5xx, never echoes an identification number, and
// stores nothing (no dossier, no idempotency reservation, no claimed external reference). The list below is the
// catalogue of refused inputs; a valid body (the control at the end) is accepted by the same app.

const now = new Date('2026-11-23T03:00:00Z');
const token = devToken({ client: 'one-stop-khanh-hoa', communes: ['22657'] });
const pin = '056080001234';
const sha = (c: string) => c.repeat(64);

type Json = Record<string, unknown>;
/** The request body, loosely typed so that the cases can break it. */
interface Body extends Json {
  externalReference: Json;
  applicant: Json;
  parties: Json[];
  parcels: Json[];
  documents: Json[];
}

function validBody(): Body {
  const an = { fullName: 'Nguyễn Văn An', personalIdNumber: pin, dateOfBirth: '1980-03-15', gender: 'MALE' };
  return {
    procedureCode: '1.013831',
    caseCode: 'TRANSFER',
    receivingUnitCode: '22657',
    channel: 'DIRECT',
    receivedAt: '2026-11-23T08:15:00+07:00',
    externalReference: { system: 'one-stop-khanh-hoa', id: `BN-${randomUUID()}` },
    applicant: { ...an, phone: '0905123456', email: 'an.nguyen@example.vn' },
    parties: [
      { ...an, role: 'TRANSFEROR' },
      {
        role: 'TRANSFEREE',
        fullName: 'Lê Hoàng Minh',
        personalIdNumber: '079095007890',
        dateOfBirth: '1995-11-20',
        gender: 'MALE',
      },
    ],
    parcels: [{ communeCode: '22657', mapSheetNumber: '12', parcelNumber: '345', areaM2: 120.5, landUseCode: 'ONT' }],
    documents: [
      {
        kind: 'APPLICATION_FORM',
        fileName: 'don.pdf',
        mediaType: 'application/pdf',
        sizeBytes: 182113,
        sha256: sha('a'),
      },
    ],
    summary: 'Chuyển nhượng quyền sử dụng đất thửa 345, tờ bản đồ 12',
  };
}

interface Case {
  name: string;
  /** Changes the valid body; ignored when `raw` is given. */
  mutate?: (body: Body) => void;
  /** A request body sent as is. */
  raw?: string;
  headers?: Record<string, string | undefined>;
  status: number;
  /** A field error expected in `errors[]`, `field:code`. */
  error?: string;
}

const party = (i: number) => (b: Body) => b.parties[i]!;

const cases: Case[] = [
  { name: 'procedureCode missing', mutate: (b) => delete b.procedureCode, status: 400, error: 'procedureCode:MATCHES' },
  {
    name: 'procedureCode malformed',
    mutate: (b) => (b.procedureCode = '1013831'),
    status: 400,
    error: 'procedureCode:MATCHES',
  },
  {
    name: 'procedure not in the catalogue',
    mutate: (b) => (b.procedureCode = '1.999999'),
    status: 400,
    error: 'procedureCode:UNKNOWN_PROCEDURE',
  },
  {
    name: 'case not of the procedure',
    mutate: (b) => (b.caseCode = 'SALE'),
    status: 400,
    error: 'caseCode:UNKNOWN_CASE',
  },
  {
    name: 'receivingUnitCode of 4 digits',
    mutate: (b) => (b.receivingUnitCode = '2265'),
    status: 400,
    error: 'receivingUnitCode:MATCHES',
  },
  { name: "commune outside the caller's token", mutate: (b) => (b.receivingUnitCode = '21439'), status: 404 },
  { name: 'channel unknown', mutate: (b) => (b.channel = 'EMAIL'), status: 400, error: 'channel:IS_IN' },
  {
    name: 'receivedAt without offset',
    mutate: (b) => (b.receivedAt = '2026-11-23T08:15:00'),
    status: 400,
    error: 'receivedAt:MATCHES',
  },
  {
    name: 'receivedAt not a date',
    mutate: (b) => (b.receivedAt = 'yesterday'),
    status: 400,
    error: 'receivedAt:IS_ISO8601',
  },
  {
    name: 'receivedAt in the future',
    mutate: (b) => (b.receivedAt = '2026-11-24T08:15:00+07:00'),
    status: 400,
    error: 'receivedAt:IN_THE_FUTURE',
  },
  {
    name: 'externalReference missing',
    mutate: (b) => delete (b as Json).externalReference,
    status: 400,
    error: 'externalReference:IS_DEFINED',
  },
  {
    name: 'externalReference.id empty',
    mutate: (b) => (b.externalReference.id = ''),
    status: 400,
    error: 'externalReference.id:IS_NOT_EMPTY',
  },
  {
    name: 'personalIdNumber of 11 digits',
    mutate: (b) => (b.applicant.personalIdNumber = '05608000123'),
    status: 400,
    error: 'applicant.personalIdNumber:MATCHES',
  },
  {
    name: 'personalIdNumber with a letter',
    mutate: (b) => (b.applicant.personalIdNumber = '05608000123X'),
    status: 400,
    error: 'applicant.personalIdNumber:MATCHES',
  },
  {
    name: 'century/gender digit against gender',
    mutate: (b) => (b.applicant.gender = 'FEMALE'),
    status: 400,
    error: 'applicant.personalIdNumber:GENDER_MISMATCH',
  },
  {
    name: 'birth-year digits against dateOfBirth',
    mutate: (b) => (party(1)(b).dateOfBirth = '1996-11-20'),
    status: 400,
    error: 'parties[1].personalIdNumber:BIRTH_YEAR_MISMATCH',
  },
  {
    name: 'unknown birth-registration prefix',
    mutate: (b) => (party(1)(b).personalIdNumber = '999095007890'),
    status: 400,
    error: 'parties[1].personalIdNumber:UNKNOWN_ID_PREFIX',
  },
  {
    name: 'dateOfBirth not a calendar date',
    mutate: (b) => (party(1)(b).dateOfBirth = '1995-02-30'),
    status: 400,
    error: 'parties[1].dateOfBirth:INVALID_DATE',
  },
  {
    name: 'dateOfBirth malformed',
    mutate: (b) => (b.applicant.dateOfBirth = '15/03/1980'),
    status: 400,
    error: 'applicant.dateOfBirth:MATCHES',
  },
  {
    name: 'gender not MALE or FEMALE',
    mutate: (b) => (b.applicant.gender = 'M'),
    status: 400,
    error: 'applicant.gender:IS_IN',
  },
  {
    name: 'phone not Vietnamese',
    mutate: (b) => (b.applicant.phone = '+1 555 0100'),
    status: 400,
    error: 'applicant.phone:MATCHES',
  },
  {
    name: 'email malformed',
    mutate: (b) => (b.applicant.email = 'an.nguyen@'),
    status: 400,
    error: 'applicant.email:IS_EMAIL',
  },
  { name: 'no parties', mutate: (b) => (b.parties = []), status: 400, error: 'parties:ARRAY_MIN_SIZE' },
  {
    name: 'party role unknown',
    mutate: (b) => (party(0)(b).role = 'BUYER'),
    status: 400,
    error: 'parties[0].role:IS_IN',
  },
  {
    name: 'transfer without a transferee',
    mutate: (b) => (party(1)(b).role = 'CO_USER'),
    status: 400,
    error: 'parties:MISSING_PARTY_ROLE',
  },
  {
    name: 'one identification number, two names',
    mutate: (b) => (party(0)(b).fullName = 'Nguyễn Văn Ân'),
    status: 400,
    error: 'parties[0].personalIdNumber:INCONSISTENT_PERSON',
  },
  { name: 'no parcel', mutate: (b) => (b.parcels = []), status: 400, error: 'parcels:ARRAY_MIN_SIZE' },
  {
    name: 'two parcels',
    mutate: (b) => b.parcels.push({ ...b.parcels[0], parcelNumber: '346' }),
    status: 400,
    error: 'parcels:ARRAY_MAX_SIZE',
  },
  {
    name: 'parcel commune that does not exist',
    mutate: (b) => (b.parcels[0]!.communeCode = '00000'),
    status: 400,
    error: 'parcels[0].communeCode:UNKNOWN_COMMUNE',
  },
  {
    name: 'parcel in another province',
    mutate: (b) => (b.parcels[0]!.communeCode = '21439'),
    status: 400,
    error: 'parcels[0].communeCode:OUTSIDE_PROVINCE',
  },
  {
    name: 'negative area',
    mutate: (b) => (b.parcels[0]!.areaM2 = -5),
    status: 400,
    error: 'parcels[0].areaM2:IS_POSITIVE',
  },
  {
    name: 'area as text',
    mutate: (b) => (b.parcels[0]!.areaM2 = '120.5'),
    status: 400,
    error: 'parcels[0].areaM2:IS_NUMBER',
  },
  {
    name: 'map sheet with a letter',
    mutate: (b) => (b.parcels[0]!.mapSheetNumber = '12a'),
    status: 400,
    error: 'parcels[0].mapSheetNumber:MATCHES',
  },
  {
    name: 'land-use code malformed',
    mutate: (b) => (b.parcels[0]!.landUseCode = 'ont'),
    status: 400,
    error: 'parcels[0].landUseCode:MATCHES',
  },
  {
    name: 'document SHA-256 too short',
    mutate: (b) => (b.documents[0]!.sha256 = 'abc123'),
    status: 400,
    error: 'documents[0].sha256:MATCHES',
  },
  {
    name: 'document SHA-256 upper case',
    mutate: (b) => (b.documents[0]!.sha256 = sha('A')),
    status: 400,
    error: 'documents[0].sha256:MATCHES',
  },
  {
    name: 'empty document',
    mutate: (b) => (b.documents[0]!.sizeBytes = 0),
    status: 400,
    error: 'documents[0].sizeBytes:MIN',
  },
  {
    name: 'document over 1 GiB (the ceiling of the metadata)',
    mutate: (b) => (b.documents[0]!.sizeBytes = 1024 * 1024 * 1024 + 1),
    status: 400,
    error: 'documents[0].sizeBytes:MAX',
  },
  {
    name: 'document over MAX_DOCUMENT_BYTES (50 MiB)',
    mutate: (b) => (b.documents[0]!.sizeBytes = 50 * 1024 * 1024 + 1),
    status: 400,
    error: 'documents[0].sizeBytes:FILE_TOO_LARGE',
  },
  {
    name: 'document media type not accepted',
    mutate: (b) => (b.documents[0]!.mediaType = 'application/zip'),
    status: 400,
    error: 'documents[0].mediaType:IS_IN',
  },
  {
    name: 'document file name with a path',
    mutate: (b) => (b.documents[0]!.fileName = '../etc/passwd'),
    status: 400,
    error: 'documents[0].fileName:MATCHES',
  },
  {
    name: 'the same file twice',
    mutate: (b) => b.documents.push({ ...b.documents[0] }),
    status: 400,
    error: 'documents[1].sha256:DUPLICATE_DOCUMENT',
  },
  {
    name: 'more than 50 documents',
    mutate: (b) =>
      (b.documents = Array.from({ length: 51 }, (_, i) => ({
        ...b.documents[0],
        sha256: i.toString(16).padStart(64, '0'),
      }))),
    status: 400,
    error: 'documents:ARRAY_MAX_SIZE',
  },
  {
    name: 'dossierCode with a 5-digit number',
    mutate: (b) => (b.dossierCode = '000.00.56.H42-261123-00001'),
    status: 400,
    error: 'dossierCode:MATCHES',
  },
  {
    name: "dossierCode of another agency than the receiving unit's",
    mutate: (b) => (b.dossierCode = '000.00.51.H55-261123-0001'),
    status: 400,
    error: 'dossierCode:INVALID_DOSSIER_CODE',
  },
  {
    name: 'dossierCode of another day than the receipt',
    mutate: (b) => (b.dossierCode = '000.00.56.H42-261124-0001'),
    status: 400,
    error: 'dossierCode:DOSSIER_CODE_DAY_MISMATCH',
  },
  {
    name: 'dossierCode number 0000',
    mutate: (b) => (b.dossierCode = '000.00.56.H42-261123-0000'),
    status: 400,
    error: 'dossierCode:INVALID_DOSSIER_CODE',
  },
  {
    name: 'document url not http(s)',
    mutate: (b) => (b.documents[0]!.url = 'ftp://files.example.vn/don.pdf'),
    status: 400,
    error: 'documents[0].url:IS_URL',
  },
  {
    name: 'document url on a host that is not allowed',
    mutate: (b) => (b.documents[0]!.url = 'https://files.example.vn/don.pdf'),
    status: 400,
    error: 'documents[0].url:URL_HOST_NOT_ALLOWED',
  },
  { name: 'unknown field', mutate: (b) => (b.priority = 'HIGH'), status: 400, error: 'priority:UNKNOWN_FIELD' },
  { name: 'server-owned status', mutate: (b) => (b.status = 'APPROVED'), status: 400, error: 'status:UNKNOWN_FIELD' },
  {
    name: 'server-owned dueAt',
    mutate: (b) => (b.dueAt = '2026-11-24T08:00:00+07:00'),
    status: 400,
    error: 'dueAt:UNKNOWN_FIELD',
  },
  {
    name: 'unknown nested field',
    mutate: (b) => (b.applicant.nationality = 'VN'),
    status: 400,
    error: 'applicant.nationality:UNKNOWN_FIELD',
  },
  {
    name: 'summary over 1000 characters',
    mutate: (b) => (b.summary = 'x'.repeat(1001)),
    status: 400,
    error: 'summary:MAX_LENGTH',
  },
  { name: 'body not JSON', raw: '{"procedureCode": "1.013831",', status: 400 },
  { name: 'body a JSON array', raw: '[]', status: 400 },
  { name: 'body over 1 MB', mutate: (b) => (b.summary = 'x'.repeat(1_100_000)), status: 413 },
  { name: 'Content-Type text/plain', headers: { 'content-type': 'text/plain' }, status: 415 },
  {
    name: 'no Idempotency-Key',
    headers: { 'idempotency-key': undefined },
    status: 400,
    error: 'Idempotency-Key:REQUIRED',
  },
  {
    name: 'Idempotency-Key over 255 characters',
    headers: { 'idempotency-key': 'k'.repeat(256) },
    status: 400,
    error: 'Idempotency-Key:REQUIRED',
  },
  { name: 'no bearer token', headers: { authorization: undefined }, status: 401 },
  {
    name: 'a token not signed by the trusted key',
    headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` },
    status: 401,
  },
  {
    name: 'an LRO worker token',
    headers: { authorization: `Bearer ${devToken({ worker: 'u1', branch: 'KH-01', roles: ['officer'] })}` },
    status: 403,
  },
];

describe('POST /v1/dossiers refuses malformed input with a 4xx problem and stores nothing', () => {
  let intake: IntakeHttpApp;

  beforeAll(async () => {
    intake = await startIntakeHttpApp(now);
  });
  afterAll(async () => {
    await intake?.close();
  });

  it(`lists at least 30 distinct malformed inputs (${cases.length})`, () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name → $status', async ({ mutate, raw, headers, status, error }) => {
    const body = validBody();
    mutate?.(body);
    const sent: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
      authorization: `Bearer ${token}`,
    };
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (value === undefined) delete sent[name];
      else sent[name] = value;
    }
    const response = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: sent,
      body: raw ?? JSON.stringify(body),
    });
    const text = await response.text();
    expect({ status: response.status, text: text.slice(0, 300) }).toMatchObject({ status });
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = JSON.parse(text) as { status: number; type: string; errors?: { field: string; code: string }[] };
    expect(problem.status).toBe(status);
    if (error) expect(problem.errors?.map((e) => `${e.field}:${e.code}`)).toContain(error);
    expect(text).not.toMatch(/\d{12}/);
    expect(intake.dossiers.rows).toHaveLength(0);
    expect(intake.dossiers.reservations.size).toBe(0);
    expect(intake.dossiers.references.size).toBe(0);
  });

  it('accepts the valid body the cases start from (the control)', async () => {
    const response = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(validBody()),
    });
    expect(response.status).toBe(201);
    expect(intake.dossiers.rows).toHaveLength(1);
  });

  it('accepts land anywhere in the province of the receiving unit: received at 22657, land in Vạn Hưng 22525 (ADR 0008)', async () => {
    const body = validBody();
    body.parcels[0]!.communeCode = '22525';
    const response = await fetch(`${intake.baseUrl}/v1/dossiers`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    const { dossierCode } = (await response.json()) as { dossierCode: string };
    const stored = intake.dossiers.rows.find((r) => r.dossier.dossierCode === dossierCode)?.dossier;
    expect(stored).toMatchObject({ receivingUnitCode: '22657', parcels: [{ communeCode: '22525' }] });
  });
});
