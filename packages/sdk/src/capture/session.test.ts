import { describe, expect, it } from 'vitest';
import { decideSession, type SessionFacts } from './session.js';

const base: SessionFacts = {
  forced: undefined,
  modern: false,
  http: false,
  transportSessionId: undefined,
  connectionId: () => 'conn',
};

describe('decideSession (docs/sdk.md table)', () => {
  const cases: Array<[string, Partial<SessionFacts>, { stateless: boolean; sessionId: string | null }]> = [
    ['stdio / in-memory: one id per connection', {}, { stateless: false, sessionId: 'conn' }],
    ['HTTP with mcp-session-id', { http: true, transportSessionId: 'sid' }, { stateless: false, sessionId: 'sid' }],
    ['HTTP without a session', { http: true }, { stateless: true, sessionId: null }],
    [
      '2026-07-28 request',
      { http: true, modern: true, transportSessionId: 'sid' },
      { stateless: true, sessionId: null },
    ],
    [
      'stateless: true beats a session id',
      { forced: true, transportSessionId: 'sid' },
      { stateless: true, sessionId: null },
    ],
    ['stateless: false over stateless HTTP', { forced: false, http: true }, { stateless: false, sessionId: 'conn' }],
    [
      'stateless: false keeps a real session id',
      { forced: false, http: true, transportSessionId: 'sid' },
      { stateless: false, sessionId: 'sid' },
    ],
    ['stateless: false on a modern request', { forced: false, modern: true }, { stateless: false, sessionId: 'conn' }],
  ];
  for (const [name, facts, expected] of cases) {
    it(name, () => expect(decideSession({ ...base, ...facts })).toEqual(expected));
  }
});
