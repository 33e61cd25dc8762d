import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

// docker-compose.yml cannot run on a machine without Docker; this keeps it consistent with the code and the local
// scripts: every variable it sets is one the service reads, ports agree, topics are created from the same contract.
const root = path.resolve(__dirname, '../..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { environment?: Record<string, unknown>; ports?: string[]; command?: string[] }>;
};
const services = ['dossier-intake', 'registration-office', 'population-matching', 'notification'];

/** The document store's variables, declared by the WithFileStoreSettings mixin (libs/file-store). */
const fileStoreSettings = readFileSync(path.join(root, 'libs/file-store/src/file-store.settings.ts'), 'utf8');

/**
 * Variable names and the default PORT declared by a service's env class, the shared ServiceEnv it extends and, when
 * it extends WithFileStoreSettings, the document store's.
 */
function declaredEnv(service: string): { names: string[]; port: string } {
  const own = readFileSync(path.join(root, `services/${service}/src/config/${service}.env.ts`), 'utf8');
  const source = [
    own,
    readFileSync(path.join(root, 'libs/config/src/service-env.ts'), 'utf8'),
    /extends WithFileStoreSettings\(/.test(own)
      ? fileStoreSettings.slice(fileStoreSettings.indexOf('class FileStoreEnv'))
      : '',
  ].join('\n');
  const names = [...source.matchAll(/^ {2,4}([A-Z][A-Z0-9_]+)[?!]?:/gm)].map((m) => m[1]!);
  const port = /^ {2}PORT: number = (\d+);/m.exec(source)?.[1] ?? '';
  return { names, port };
}

describe('docker-compose.yml', () => {
  it.each(services)('%s gets only variables its env class declares (or OTEL_*)', (name) => {
    const service = compose.services[name];
    expect(service).toBeDefined();
    const { names, port } = declaredEnv(name);
    expect(names).toContain('KAFKA_BROKERS');
    const unknown = Object.keys(service!.environment ?? {}).filter((k) => !names.includes(k) && !k.startsWith('OTEL_'));
    expect(unknown).toEqual([]);
    expect(String(service!.environment!.PORT)).toBe(port);
    expect(service!.ports).toEqual([`127.0.0.1:${port}:${port}`]);
  });

  it('runs MongoDB 7+, Kafka in KRaft mode without topic auto-creation, Redis, a collector and Jaeger', () => {
    const images = Object.values(compose.services).map((s) => (s as { image?: string }).image ?? '');
    expect(images.some((i) => /^mongo:(7|8)/.test(i))).toBe(true);
    expect(images.some((i) => i.startsWith('apache/kafka:3.9'))).toBe(true);
    expect(images.some((i) => i.startsWith('redis:'))).toBe(true);
    expect(images.some((i) => i.includes('opentelemetry-collector'))).toBe(true);
    expect(images.some((i) => i.startsWith('jaegertracing/'))).toBe(true);
    expect(compose.services.kafka!.environment).toMatchObject({
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_PROCESS_ROLES: 'broker,controller',
    });
  });

  it('runs the same object store as the local stack, with the same bucket and identity, for the services that store documents', () => {
    const store = compose.services['objectstore'] as { image?: string; command?: string[]; ports?: string[] };
    expect(store.image).toMatch(/^chrislusf\/seaweedfs:/);
    expect(store.command?.join(' ')).toContain('weed server');
    expect(store.command?.join(' ')).toContain('-s3 -s3.port=8333');
    expect(store.ports).toEqual(['127.0.0.1:8333:8333']);
    const common = readFileSync(path.join(root, 'deploy/local/lib/common.sh'), 'utf8');
    const local = (name: string) => new RegExp(`^${name}="([^"]+)"`, 'm').exec(common)?.[1];
    for (const name of ['dossier-intake', 'registration-office']) {
      expect(compose.services[name]!.environment).toMatchObject({
        FILE_STORE: 's3',
        S3_ENDPOINT: 'http://objectstore:8333',
        S3_BUCKET: local('LT_S3_BUCKET'),
        S3_ACCESS_KEY_ID: local('LT_S3_ACCESS_KEY_ID'),
        S3_SECRET_ACCESS_KEY: local('LT_S3_SECRET_ACCESS_KEY'),
      });
    }
    expect(store.command?.join(' ')).toContain(`"accessKey":"${local('LT_S3_ACCESS_KEY_ID')}"`);
  });

  it('creates topics with the same script and contract as the local stack', () => {
    expect(compose.services['kafka-topics']!.command).toEqual(['node', 'deploy/local/create-topics.mjs']);
  });
});
