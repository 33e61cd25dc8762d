import { ServiceEnv } from '@lienthong/config';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

/** Every environment variable registration-office reads. */
export class RegistrationOfficeEnv extends ServiceEnv {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3002;

  /**
   * LRO branches and the communes each serves: `BRANCH=commune|commune;BRANCH=...`. The default is the development
   * configuration of office-api.md; provinces set their own.
   */
  @IsString()
  @Matches(/^[A-Z0-9-]+=\d{5}(\|\d{5})*(;[A-Z0-9-]+=\d{5}(\|\d{5})*)*$/, {
    message: 'BRANCH_COMMUNES must be BRANCH=commune|commune;BRANCH=...',
  })
  BRANCH_COMMUNES: string =
    'KH-DIENKHANH=22651|22657;KH-VANNINH=22525;QNG-DUCPHO=21439|21451|21457|21478;QT-HOANLAO=19111';

  /**
   * Directory holding contracts/reference-data (procedure catalogue, calendars, communes): the repository root
   * locally, the image's /app in a container. Relative paths start at the working directory.
   */
  @IsString()
  REFERENCE_DATA_ROOT: string = '.';

  /** How long a claim lasts before the case goes back to the pool, in minutes. */
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  CLAIM_LEASE_MINUTES: number = 120;

  /** A case is due soon when at most this many working hours are left (fires `case.due-soon` once). */
  @IsInt()
  @Min(1)
  @Max(240)
  DUE_SOON_WORKING_HOURS: number = 8;

  /** Working days between finding a case late and the new appointment of its apology letter (form 04). */
  @IsInt()
  @Min(1)
  @Max(60)
  APOLOGY_EXTENSION_WORKING_DAYS: number = 3;

  /** How often the clock watch looks for cases due soon or overdue. */
  @IsInt()
  @Min(200)
  CLOCK_WATCH_INTERVAL_MS: number = 60_000;

  /** How often leftover outbox events are re-published (after a crash or a broker outage). */
  @IsInt()
  @Min(200)
  OUTBOX_SWEEP_INTERVAL_MS: number = 2_000;
}

/** Parses BRANCH_COMMUNES into a commune → branch map. */
export function branchByCommune(env: RegistrationOfficeEnv): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of env.BRANCH_COMMUNES.split(';')) {
    const [branch, communes] = entry.split('=') as [string, string];
    for (const commune of communes.split('|')) map.set(commune, branch);
  }
  return map;
}
