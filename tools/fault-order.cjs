// The fault specs in a fixed order. Each one's services read the shared topics with the services' own consumer groups,
// so what an earlier spec published is read first by a later one: the runs that publish 1,000 dossiers (poison, then
// the crash run) go last, after the specs whose population-matching and notification would otherwise have to work
// through them before their own events.
const Sequencer = require('@jest/test-sequencer').default;

const order = [
  'notification-exactly-once',
  'registry-outage',
  // Its registration-office reads the backlog of the specs before (it waits for lag 0); duplicates' waits are short.
  'poison-messages',
  'duplicates-and-outage',
  'crash-and-broker-restart',
];

class FaultOrder extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const i = order.findIndex((name) => test.path.includes(`/${name}.`));
      return i === -1 ? order.length : i;
    };
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
}

module.exports = FaultOrder;
