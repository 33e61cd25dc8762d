import { readFileSync } from 'node:fs';
import path from 'node:path';
import { consumerGroup, deadLetterTopic, ServiceNames, Topics } from './topics';

const declared = (
  JSON.parse(readFileSync(path.resolve(__dirname, '../../../contracts/kafka/topics.json'), 'utf8')) as {
    topics: { name: string }[];
  }
).topics.map((t) => t.name);

describe('topics', () => {
  it('every topic the code uses is declared in contracts/kafka/topics.json, and nothing else', () => {
    const used = [...Object.values(Topics), ...Object.values(ServiceNames).map(deadLetterTopic)];
    expect([...declared].sort()).toEqual([...used].sort());
  });

  it('names consumer groups <consumer>.<source>-<aggregate>', () => {
    expect(consumerGroup(ServiceNames.RegistrationOffice, Topics.DossierEvents)).toBe(
      'registration-office.dossier-intake-dossier',
    );
  });
});
