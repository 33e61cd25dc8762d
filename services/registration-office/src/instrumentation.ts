// First import of main.ts: instrumentations must patch http, express, kafkajs, mongodb and ioredis before they load.
import { startTelemetry } from '@lienthong/observability';

startTelemetry('registration-office');
