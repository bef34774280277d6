import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sourceFiles } from './support/source-files.ts';

const src = path.join(import.meta.dirname, '../src');

describe('architecture', () => {
  it('reads process.env only in config.ts', () => {
    const readers = sourceFiles(src)
      .filter((file) => readFileSync(file, 'utf8').includes('process.env'))
      .map((file) => path.relative(src, file));
    assert.deepEqual(readers, ['config.ts']);
  });

  it('keeps the tracker and the chat seam free of platforms, HTTP and storage libraries', () => {
    const files = [
      ...sourceFiles(path.join(src, 'tracker')),
      ...sourceFiles(path.join(src, 'chat')),
    ];
    assert.ok(files.length > 5);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(
        text,
        /from '(discord\.js|@slack\/bolt|@slack\/web-api|undici|keyv|@keyv\/[a-z]+)'/,
        file,
      );
      assert.doesNotMatch(
        text,
        /from '\.\.\/(adapters|store)\//,
        `${file} reaches into an adapter or the store`,
      );
    }
  });

  it('keeps src/sora free of chat platforms and storage', () => {
    for (const file of sourceFiles(path.join(src, 'sora'))) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /from '(discord\.js|@slack\/bolt|keyv|@keyv\/[a-z]+)'/, file);
    }
  });
});
