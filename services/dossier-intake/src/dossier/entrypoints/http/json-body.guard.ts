import { Injectable, UnsupportedMediaTypeException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * Refuses a body that is not JSON with 415 before the validation pipe looks at it (pipes run after guards), so a
 * wrong media type is named as such instead of as a list of missing fields.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const type = context.switchToHttp().getRequest<Request>().headers['content-type'];
    if (!type?.toLowerCase().startsWith('application/json')) {
      throw new UnsupportedMediaTypeException('Content-Type must be application/json');
    }
    return true;
  }
}
