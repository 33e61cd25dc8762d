import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsObject, IsOptional, IsString, Matches } from 'class-validator';
import express from 'express';

// H1's servers, one per process: `node http-server.js <variant> <port>` where variant is bare-express,
// nest-express or nest-express-validated. Each answers POST /dossiers with 201 after parsing the JSON body.

class DossierBody {
  @Matches(/^\d+\.\d+$/)
  procedureCode!: string;

  @Matches(/^\d{5}$/)
  receivingUnitCode!: string;

  @IsString()
  dossierCode!: string;

  @IsString()
  receivedAt!: string;

  @IsObject()
  applicant!: Record<string, unknown>;

  @IsOptional()
  @IsString()
  summary?: string;

  @IsOptional()
  seq?: number;
}

@Controller()
class DossierController {
  @Post('dossiers')
  @HttpCode(201)
  create(@Body() body: DossierBody): { ok: true; code: string } {
    return { ok: true, code: body.dossierCode };
  }
}

@Module({ controllers: [DossierController] })
class BenchHttpModule {}

async function main(): Promise<void> {
  const [variant, port] = process.argv.slice(2);
  if (variant === 'bare-express') {
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    app.post(
      '/dossiers',
      (req, res) => void res.status(201).json({ ok: true, code: (req.body as DossierBody).dossierCode }),
    );
    app.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
    return;
  }
  const app = await NestFactory.create(BenchHttpModule, { logger: false });
  if (variant === 'nest-express-validated')
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }));
  await app.listen(Number(port), '127.0.0.1');
  process.send?.('ready');
}

void main();
