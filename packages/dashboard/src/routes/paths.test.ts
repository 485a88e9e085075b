import { describe, expect, it } from 'vitest';
import { idFromPath, paths } from './paths';

const HOSTILE_IDS = ['a/b', 'a%2Fb', '100%', 'x%25y', 'q?x=1#h', 'sp ace', 'ünï/cødé', '...', '.hidden', '%E0%A4%A'];

describe('paths', () => {
  it.each(HOSTILE_IDS)('round-trips %j through every detail path', (id) => {
    for (const make of [paths.user, paths.tool, paths.event, paths.session]) {
      const url = new URL(make(id), 'http://dashboard.test');
      expect(url.pathname.split('/')).toHaveLength(3);
      expect(idFromPath(url.pathname)).toBe(id);
    }
  });

  it('puts the event and filters into the query, encoded', () => {
    expect(paths.session('ses_1', 'e/1%')).toBe('/sessions/ses_1?event=e%2F1%25');
    expect(paths.session('ses_1')).toBe('/sessions/ses_1');
    expect(paths.sessions({ user: 'a/b', client: undefined })).toBe('/sessions?user=a%2Fb');
  });

  it('keeps a malformed segment as it came', () => {
    expect(idFromPath('/users/%E0%A4%A')).toBe('%E0%A4%A');
    expect(idFromPath('/users')).toBe('');
  });
});
