import { describe, expect, it } from 'vitest';
import { safeNext } from './LoginPage';

describe('where signing in leads', () => {
  it('follows only paths of this app, never another site', () => {
    expect(safeNext('/tong-quan?unit=19&period=2026')).toBe('/tong-quan?unit=19&period=2026');
    for (const bad of [
      null,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'tong-quan',
      '/a\\b',
    ])
      expect([bad, safeNext(bad)]).toEqual([bad, '/']);
  });
});
