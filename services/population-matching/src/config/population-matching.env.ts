import { ServiceEnv } from '@lienthong/config';
import { IsInt, Max, Min } from 'class-validator';

/** Every environment variable population-matching reads. */
export class PopulationMatchingEnv extends ServiceEnv {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3003;
}
