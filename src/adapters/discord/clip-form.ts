/**
 * The multipart body of a message carrying the clip, with the file read from disk only as
 * fetch sends it. discord.js would take the clip as a Buffer (read whole) and copy it again
 * into a Blob; a file-backed Blob (`openAsBlob`) is streamed in chunks instead, and can be
 * streamed again should discord.js resend the request. Only a few chunks are held at a time
 * as long as fetch keeps no copy of the body for redirects (see rest-fetch.ts).
 */
import { openAsBlob } from 'node:fs';

/** `payload_json` and `files[0]`, as discord.js itself lays out a message with one file. */
export async function clipForm(payload: object, name: string, path: string): Promise<FormData> {
  const form = new FormData();
  form.append('files[0]', await openAsBlob(path, { type: 'video/mp4' }), name);
  form.append('payload_json', JSON.stringify(payload));
  return form;
}
