import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Type } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, type ServiceEnv } from '@lienthong/config';
import { createServiceHttpApp, MONGO_CONNECTION, serviceRootModule } from '@lienthong/runtime';
import type { Connection } from 'mongoose';
// The suite composes the services' own modules, as their entry points do: it tests what ships, so it imports them.
/* eslint-disable @nx/enforce-module-boundaries */
import { AppModule as DossierIntakeModule } from '../../services/dossier-intake/src/app.module';
import { DossierIntakeEnv } from '../../services/dossier-intake/src/config/dossier-intake.env';
import { vbdlisTiepNhanPath } from '../../services/dossier-intake/src/dossier/entrypoints/http/vbdlis/vbdlis-body.guard';
import { AppModule as NotificationModule } from '../../services/notification/src/app.module';
import { NotificationEnv } from '../../services/notification/src/config/notification.env';
import { AppModule as PopulationMatchingModule } from '../../services/population-matching/src/app.module';
import { PopulationMatchingEnv } from '../../services/population-matching/src/config/population-matching.env';
import { AppModule as RegistrationOfficeModule } from '../../services/registration-office/src/app.module';
import { RegistrationOfficeEnv } from '../../services/registration-office/src/config/registration-office.env';
/* eslint-enable @nx/enforce-module-boundaries */

/** The four services as their entry points compose them (main.ts), with the VBDLIS route reading its own body. */
const services = [
  { name: 'dossier-intake', envClass: DossierIntakeEnv, appModule: DossierIntakeModule, own: [vbdlisTiepNhanPath] },
  { name: 'registration-office', envClass: RegistrationOfficeEnv, appModule: RegistrationOfficeModule, own: [] },
  { name: 'population-matching', envClass: PopulationMatchingEnv, appModule: PopulationMatchingModule, own: [] },
  { name: 'notification', envClass: NotificationEnv, appModule: NotificationModule, own: [] },
] as const;
export type ServiceName = (typeof services)[number]['name'];
export const ServiceNamesUnderTest: readonly ServiceName[] = services.map((s) => s.name);

/** A route as the Nest router registers it: method, full path, handler and controller. */
export interface RegisteredRoute {
  method: string;
  path: string;
  handler: object;
  controller: Type<unknown>;
}

export interface RunningService {
  name: ServiceName;
  app: NestExpressApplication;
  baseUrl: string;
  /** The service's database of this run (its own name, never the one the journeys use). */
  db: Connection['db'];
}

const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD', 'SEARCH'];

/**
 * Every HTTP route of an application, read from the controllers Nest registered in its module container (the same
 * metadata its router resolves), not from a list kept by hand. Kafka handlers (no HTTP method) are left out.
 */
export function registeredRoutes(app: NestExpressApplication): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller) continue;
      const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const prototype = controller.prototype as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (method === undefined || paths === undefined) continue;
        for (const sub of Array.isArray(paths) ? paths : [paths]) {
          const full = `/${[prefix, sub]
            .map((p) => p.replace(/^\/|\/$/g, ''))
            .filter(Boolean)
            .join('/')}`;
          routes.push({
            method: methods[method] ?? String(method),
            path: full.replace(/\\:/g, ':'),
            handler,
            controller,
          });
        }
      }
    }
  }
  return routes;
}

/**
 * Starts the four services in this process, HTTP only (no Kafka consumer), each on an ephemeral loopback port with
 * a database, delivery queue, lookup queue prefix and document directory of this run only, so the suite neither
 * disturbs nor is disturbed by the journeys that share the local infrastructure.
 */
export async function startServices(): Promise<{
  services: Record<ServiceName, RunningService>;
  stop(): Promise<void>;
}> {
  const run = randomBytes(4).toString('hex');
  const files = mkdtempSync(path.join(tmpdir(), 'lt-security-'));
  const started: RunningService[] = [];
  for (const spec of services) {
    const env = loadConfig(spec.envClass as new () => ServiceEnv & { PORT: number }, {
      ...process.env,
      LIENTHONG_ENV: 'development',
      FILE_STORE: 'fs',
      FILE_STORE_DIR: files,
      DELIVERY_QUEUE: `security-deliveries-${run}`,
      LOOKUP_QUEUE_PREFIX: `sec-${run}`,
    });
    const dbName = `security_${spec.name.replace(/-/g, '_')}_${run}`;
    const module = serviceRootModule(
      {
        name: spec.name,
        envClass: spec.envClass,
        dbName,
        appModule: spec.appModule,
      },
      env,
    );
    const app = await createServiceHttpApp(
      { module, openApi: { title: spec.name, description: 'security suite', version: '1' }, ownJsonBodies: spec.own },
      false,
    );
    await app.listen(0, '127.0.0.1');
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    started.push({ name: spec.name, app, baseUrl, db: app.get<Connection>(MONGO_CONNECTION).db });
  }
  return {
    services: Object.fromEntries(started.map((s) => [s.name, s])) as Record<ServiceName, RunningService>,
    async stop() {
      for (const service of started) {
        await service.db?.dropDatabase().catch(() => undefined);
        await service.app.close();
      }
      rmSync(files, { recursive: true, force: true });
    },
  };
}

/** How many documents each collection of a service's database holds (to prove an attack stored nothing). */
export async function documentCounts(service: RunningService): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { name } of await service.db!.listCollections().toArray()) {
    counts[name] = await service.db!.collection(name).countDocuments();
  }
  return counts;
}
