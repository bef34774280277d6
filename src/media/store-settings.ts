/**
 * Where the clip library keeps its bytes, as the config reads it (`MEDIA_STORE_URL` and the
 * S3 client's settings), apart from the stores themselves: the config and the CLI read
 * settings without loading the AWS SDK.
 */

export type MediaStoreSettings =
  | { kind: 'folder'; dir: string }
  | { kind: 's3'; location: S3Location; s3: S3Settings };

export interface S3Location {
  bucket: string;
  /** Prepended to every key ("team-a/clips/"), possibly empty. */
  prefix: string;
}

export interface S3Settings {
  /** Another service than AWS (MinIO, R2): its address. */
  endpoint?: string;
  region: string;
  /** Bucket in the path rather than the host name: what MinIO and most others need. */
  forcePathStyle: boolean;
  /** Given keys; without them the SDK's own chain (instance role, profile, …) is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** `s3://bucket/some/prefix` as a bucket and a prefix ending in "/" (or none). */
export function parseS3Url(url: string): S3Location | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 's3:' || parsed.hostname === '') return undefined;
  const path = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, '');
  return { bucket: parsed.hostname, prefix: path === '' ? '' : `${path}/` };
}
