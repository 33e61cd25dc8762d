import { Public } from '@lienthong/auth';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CONSOLE_CSS, CONSOLE_HTML, CONSOLE_JS } from './console-page';

/** Serves the back-office console at `/` (public files; every API call they make needs the worker's token). */
@Public()
@ApiExcludeController()
@Controller()
export class ConsoleController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  page(): string {
    return CONSOLE_HTML;
  }

  @Get('console.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  script(): string {
    return CONSOLE_JS;
  }

  @Get('console.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'no-cache')
  style(): string {
    return CONSOLE_CSS;
  }
}
