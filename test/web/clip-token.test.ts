import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clipToken, readClipToken, shareLink } from '../../src/web/clip-token.ts';

const SECRET = 'a-share-link-secret-of-32-chars-or-more';
const OTHER_SECRET = 'another-share-link-secret-32-chars-long';

describe('clip tokens', () => {
  it('give back the task id they were made for', () => {
    const token = clipToken('task_abc-123', SECRET);
    assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    assert.equal(readClipToken(token, SECRET), 'task_abc-123');
  });

  it('are refused when any character is changed, or the secret differs', () => {
    const token = clipToken('task_abc-123', SECRET);
    assert.equal(readClipToken(token, OTHER_SECRET), undefined);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const swapped = token[i] === 'A' ? 'B' : 'A';
      const tampered = `${token.slice(0, i)}${swapped}${token.slice(i + 1)}`;
      assert.equal(readClipToken(tampered, SECRET), undefined, `changed at ${i}`);
    }
    // Another task's id with this one's MAC.
    const other = clipToken('task_other', SECRET);
    const spliced = `${other.split('.')[0]}.${token.split('.')[1]}`;
    assert.equal(readClipToken(spliced, SECRET), undefined);
  });

  it('read nothing from strings the bot never made', () => {
    for (const token of ['', '.', 'abc', 'abc.', '.abc', 'a.b.c', 'dGFzaw.%%%', 'x'.repeat(600)]) {
      assert.equal(readClipToken(token, SECRET), undefined, token);
    }
  });

  it('make share links under PUBLIC_URL', () => {
    const link = shareLink('https://bot.example.com/', 'task_1', SECRET);
    assert.equal(link, `https://bot.example.com/clips/${clipToken('task_1', SECRET)}`);
  });
});
