import { ServiceEnv } from '@lienthong/config';
import { IsInt, Max, Min } from 'class-validator';

/** Every environment variable notification reads. */
export class NotificationEnv extends ServiceEnv {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3004;
}
