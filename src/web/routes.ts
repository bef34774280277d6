/**
 * The share pages of kept clips, on the bot's HTTP port:
 *
 *   GET /clips/<token>      the page: player, prompt, model, length, who asked and when
 *   GET /clips/<token>.mp4  the clip, with Range requests (players seek with them)
 *   GET /clips/<token>.jpg  its poster
 *   GET /gallery/<token>    a channel's kept clips as a grid of posters (?model=…&q=…)
 *
 * HEAD too. A token the bot did not make with CLIP_LINK_SECRET, or whose clip is no longer
 * kept, gets the same plain 404 as any other path: a visitor learns nothing from guessing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '../http/routes.ts';
import type { Logger } from '../log.ts';
import type { ClipLibrary, KeptClip } from '../watch/kept-clip.ts';
import { clipPage, STYLE_SOURCE } from './clip-page.ts';
import {
  CLIPS_PATH,
  clipToken,
  GALLERY_PATH,
  readClipToken,
  readGalleryToken,
  shareLink,
} from './clip-token.ts';
import { GALLERY_STYLE_SOURCE, galleryClips, galleryPage, modelChoicesOf } from './gallery-page.ts';
import { PLACEHOLDER_POSTER } from './placeholder-poster.ts';
import { answerStored, type StoredFile } from './stored-answer.ts';

/** Told what the share routes answered, for monitoring; calls must not throw. */
export interface SharePageObserver {
  shareServed(kind: ShareKind, status: number): void;
}

export type ShareKind = 'page' | 'video' | 'poster' | 'gallery';

export interface ClipRouteOptions {
  /** PUBLIC_URL: the absolute links in the page's tags start with it. */
  publicUrl: string;
  /** CLIP_LINK_SECRET. Never logged. */
  secret: string;
  library: Pick<ClipLibrary, 'find' | 'list' | 'readVideo' | 'readPoster'>;
  logger: Logger;
  observer?: SharePageObserver;
}

type Request = IncomingMessage & { params?: Record<string, string> };

/** Sent with every answer of these routes, the 404s included. */
const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** The page loads its own clip and poster and its one inline style, nothing else. */
const PAGE_CSP = [
  "default-src 'none'",
  "media-src 'self'",
  "img-src 'self'",
  `style-src ${STYLE_SOURCE}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
/** The gallery loads its posters and its one inline style; its form goes to itself. */
const GALLERY_CSP = [
  "default-src 'none'",
  "img-src 'self'",
  `style-src ${GALLERY_STYLE_SOURCE}`,
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');
/** For the files and the 404 page: nothing to load at all. */
const FILE_CSP = "default-src 'none'";

export function clipRoutes(options: ClipRouteOptions): HttpRoute[] {
  return [
    {
      path: `${GALLERY_PATH}/:token`,
      method: ['GET', 'HEAD'],
      handler: (req: Request, res) => {
        res.once('finish', () => options.observer?.shareServed('gallery', res.statusCode));
        void answerGallery(req, res, options).catch((error: unknown) => {
          options.logger.error({ err: error }, 'gallery: request failed');
          if (!res.headersSent) plain(res, 500, 'Something went wrong; try again later.');
          else res.destroy();
        });
      },
    },
    {
      path: `${CLIPS_PATH}/:name`,
      method: ['GET', 'HEAD'],
      handler: (req: Request, res) => {
        const kind = kindOf(req.params?.name ?? '');
        res.once('finish', () => options.observer?.shareServed(kind, res.statusCode));
        void answer(req, res, options).catch((error: unknown) => {
          options.logger.error({ err: error }, 'clip page: request failed');
          if (!res.headersSent) plain(res, 500, 'Something went wrong; try again later.');
          else res.destroy();
        });
      },
    },
  ];
}

async function answer(req: Request, res: ServerResponse, options: ClipRouteOptions) {
  const name = req.params?.name ?? '';
  const kind = kindOf(name);
  const token = kind === 'page' ? name : name.slice(0, -'.mp4'.length);
  const taskId = readClipToken(token, options.secret);
  const clip = taskId === undefined ? undefined : await options.library.find(taskId);
  if (taskId === undefined || clip === undefined) return notFound(res);

  if (kind === 'page') {
    const page = shareLink(options.publicUrl, taskId, options.secret);
    const html = clipPage(clip, {
      page,
      video: `${page}.mp4`,
      poster: `${page}.jpg`,
      videoPath: `${token}.mp4`,
      posterPath: `${token}.jpg`,
    });
    res
      .writeHead(200, {
        ...COMMON_HEADERS,
        'content-security-policy': PAGE_CSP,
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(html),
        // The clip may be swept: ask again each time rather than show a dead player.
        'cache-control': 'no-cache',
      })
      .end(html);
    return;
  }

  const { library } = options;
  if (kind === 'video') {
    const video: StoredFile = {
      bytes: clip.bytes,
      version: versionOf(clip),
      open: (range) => library.readVideo(taskId, range),
    };
    const headers = {
      ...COMMON_HEADERS,
      'content-security-policy': FILE_CSP,
      'content-type': 'video/mp4',
      'content-disposition': `inline; filename="${fileNameOf(taskId)}.mp4"`,
    };
    if ((await answerStored(req, res, video, headers)) === 'gone') notFound(res);
    return;
  }
  if (clip.posterBytes !== undefined) {
    const poster: StoredFile = {
      bytes: clip.posterBytes,
      version: versionOf(clip),
      open: (range) => library.readPoster(taskId, range),
    };
    const headers = {
      ...COMMON_HEADERS,
      'content-security-policy': FILE_CSP,
      'content-type': 'image/jpeg',
    };
    if ((await answerStored(req, res, poster, headers)) === 'sent') return;
  }
  // No poster could be made (no ffmpeg when it was kept): a neutral one.
  res
    .writeHead(200, {
      ...COMMON_HEADERS,
      'content-security-policy': FILE_CSP,
      'content-type': 'image/jpeg',
      'content-length': PLACEHOLDER_POSTER.length,
      'cache-control': 'no-cache',
    })
    .end(req.method === 'HEAD' ? undefined : PLACEHOLDER_POSTER);
}

/** A kept clip's version: kept again, it may be another file. */
function versionOf(clip: KeptClip): StoredFile['version'] {
  return { tag: `${clip.keptAt.toString(36)}-${clip.bytes.toString(36)}`, modifiedAt: clip.keptAt };
}

/** A channel's gallery, filtered by the query's `model` and `q`. */
async function answerGallery(req: Request, res: ServerResponse, options: ClipRouteOptions) {
  const target = readGalleryToken(req.params?.token ?? '', options.secret);
  if (target === undefined) return notFound(res);
  const query = new URL(req.url ?? '/', 'http://gallery.invalid').searchParams;
  const filter = {
    model: (query.get('model') ?? '').slice(0, 100),
    search: (query.get('q') ?? '').slice(0, 200),
  };
  const clips = await options.library.list();
  const ofChannel = galleryClips(clips, target, { model: '', search: '' });
  const html = galleryPage(galleryClips(ofChannel, target, filter), {
    filter,
    choices: modelChoicesOf(ofChannel),
    pageOf: (taskId) => `..${CLIPS_PATH}/${clipToken(taskId, options.secret)}`,
  });
  res
    .writeHead(200, {
      ...COMMON_HEADERS,
      'content-security-policy': GALLERY_CSP,
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(html),
      'cache-control': 'no-cache',
    })
    .end(req.method === 'HEAD' ? undefined : html);
}

/** What a request under /clips asks for, by its name's ending. */
function kindOf(name: string): ShareKind {
  return name.endsWith('.mp4') ? 'video' : name.endsWith('.jpg') ? 'poster' : 'page';
}

/** A task id as a download's file name: only characters every system takes. */
function fileNameOf(taskId: string): string {
  return taskId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100) || 'clip';
}

function notFound(res: ServerResponse): void {
  plain(res, 404, 'Nothing here. The link may be wrong, or the clip is no longer kept.');
}

function plain(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.destroy();
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  const body = `${text}\n`;
  res
    .writeHead(status, {
      ...COMMON_HEADERS,
      'content-security-policy': FILE_CSP,
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    })
    .end(body);
}
