import { faultsFromEnv } from './faults';
import { Population } from './population';
import { loadPrefixes, RegistryServer } from './registry-server';

// Population registry sandbox: HOST, PORT (3100), REGISTRY_SEED, REGISTRY_POPULATION (2,000,000) and the fault
// settings of faults.ts (REGISTRY_LATENCY_MS, REGISTRY_QUOTA, REGISTRY_OUTAGE, ...); REFERENCE_DATA_ROOT where
// contracts/reference-data is (searched upwards from here by default).
async function main(): Promise<void> {
  const seed = Number(process.env.REGISTRY_SEED ?? 20261201);
  const size = Number(process.env.REGISTRY_POPULATION ?? 2_000_000);
  if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(size))
    throw new Error('REGISTRY_SEED and REGISTRY_POPULATION must be integers');
  const server = new RegistryServer({
    population: new Population({ seed, size, prefixes: loadPrefixes(process.env.REFERENCE_DATA_ROOT ?? __dirname) }),
    faults: faultsFromEnv(process.env),
    seed,
  });
  const host = process.env.HOST ?? '127.0.0.1';
  const port = await server.listen(Number(process.env.PORT ?? 3100), host);
  process.stdout.write(
    `${JSON.stringify({ level: 'info', msg: 'population registry sandbox ready', host, port, seed, size, faults: server.faults })}\n`,
  );
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `population registry sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
