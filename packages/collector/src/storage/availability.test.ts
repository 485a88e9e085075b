import { describe, expect, it } from 'vitest';
import { Availability, StorageUnavailableError, type AvailabilityChange, type Unavailability } from './availability.js';

const unreachable: Unavailability = { kind: 'unreachable', reason: 'ECONNRESET: read ECONNRESET' };
const full: Unavailability = { kind: 'unwritable', reason: 'SQLITE_FULL: database or disk is full' };

/** An operation that ends when told to: with success, or with the database unavailable. */
function operation(availability: Availability, proves?: 'answers' | 'writes') {
  let end!: (outcome: Unavailability | null) => void;
  const done = availability
    .track(
      () =>
        new Promise<void>(
          (resolve, reject) =>
            (end = (outcome) => (outcome ? reject(new StorageUnavailableError(outcome)) : resolve())),
        ),
      proves,
    )
    .catch(() => {});
  return async (outcome: Unavailability | null) => {
    end(outcome);
    await done;
  };
}

function watched() {
  const availability = new Availability();
  const changes: string[] = [];
  availability.onChange((change: AvailabilityChange) =>
    changes.push(change.available ? 'up' : `down: ${change.error.reason}`),
  );
  return { availability, changes };
}

describe('Availability', () => {
  it('reports an outage once however many operations fail, and its end once', async () => {
    const { availability, changes } = watched();
    for (let i = 0; i < 5; i++) await operation(availability, 'answers')(unreachable);
    await operation(availability, 'answers')(null);
    await operation(availability, 'answers')(null);
    expect(changes).toEqual([`down: ${unreachable.reason}`, 'up']);
  });

  it('ignores operations that began before the last change: no flapping', async () => {
    const { availability, changes } = watched();
    const before = operation(availability, 'answers');
    const alsoBefore = operation(availability, 'answers');
    await operation(availability, 'answers')(unreachable);
    await before(null); // answered before the outage began: says nothing about now
    const during = operation(availability, 'answers');
    await operation(availability, 'answers')(null);
    await during(unreachable); // failed during the outage, ends after it: the same outage
    await alsoBefore(unreachable);
    expect(changes).toEqual([`down: ${unreachable.reason}`, 'up']);
  });

  it('ends an outage of writes only with a write; reads and operations that prove nothing do not', async () => {
    const { availability, changes } = watched();
    await operation(availability, 'writes')(full);
    await operation(availability, 'answers')(null);
    await operation(availability)(null);
    expect(changes).toEqual([`down: ${full.reason}`]);
    await operation(availability, 'writes')(null);
    expect(changes).toEqual([`down: ${full.reason}`, 'up']);
  });

  it('does not end an outage with an operation that proves nothing (a pooled connection handed out)', async () => {
    const { availability, changes } = watched();
    await operation(availability, 'answers')(unreachable);
    await operation(availability)(null);
    expect(changes).toEqual([`down: ${unreachable.reason}`]);
  });
});
