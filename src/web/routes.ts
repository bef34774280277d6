/**
 * The share pages of kept clips, on the bot's HTTP port:
 *
 *   GET /clips/<token>      the page: player, prompt, model, length, who asked and when
 *   GET /clips/<token>.mp4  the clip, with Range requests (players seek with them)
 *   GET /clips/<token>.jpg  its poster
 *
 * HEAD too. A token the bot did not make with CLIP_LINK_SECRET, or whose clip is no longer
 * kept, gets the same plain 404 as any other path: a visitor learns nothing from guessing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import send from 'send';
import type { HttpRoute } from '../http/routes.ts';
import type { Logger } from '../log.ts';
import type { ClipLibrary } from '../watch/kept-clip.ts';
import { clipPage, STYLE_SOURCE } from './clip-page.ts';
import { CLIPS_PATH, readClipToken, shareLink } from './clip-token.ts';
import type { PosterMaker } from './poster.ts';

/** Told what the share routes answered, for monitoring; calls must not throw. */
export interface SharePageObserver {
  shareServed(kind: ShareKind, status: number): void;
}

export type ShareKind = 'page' | 'video' | 'poster';

export interface ClipRouteOptions {
  /** PUBLIC_URL: the absolute links in the page's tags start with it. */
  publicUrl: string;
  /** CLIP_LINK_SECRET. Never logged. */
  secret: string;
  library: Pick<ClipLibrary, 'find' | 'videoFile'>;
  posters: PosterMaker;
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
/** For the files and the 404 page: nothing to load at all. */
const FILE_CSP = "default-src 'none'";

export function clipRoutes(options: ClipRouteOptions): HttpRoute[] {
  return [
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

  const video = await options.library.videoFile(taskId);
  if (video === undefined) return notFound(res);
  if (kind === 'video') {
    return sendFile(req, res, video.path, {
      'content-type': 'video/mp4',
      'content-disposition': `inline; filename="${fileNameOf(taskId)}.mp4"`,
    });
  }
  const poster = await options.posters.posterOf(taskId, clip.keptAt, video.path);
  if ('file' in poster) {
    return sendFile(req, res, poster.file, { 'content-type': 'image/jpeg' });
  }
  res
    .writeHead(200, {
      ...COMMON_HEADERS,
      'content-security-policy': FILE_CSP,
      'content-type': 'image/jpeg',
      'content-length': poster.placeholder.length,
      // A real poster may come later (ffmpeg installed): do not keep this one long.
      'cache-control': 'no-cache',
    })
    .end(poster.placeholder);
}

/**
 * Streams a file with `send`, which answers Range (206, 416), conditional requests (ETag,
 * Last-Modified) and HEAD. Its own error answers would drop our headers, so errors come here.
 */
function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  headers: Record<string, string>,
): Promise<void> {
  return new Promise((resolve) => {
    for (const [key, value] of Object.entries({ ...COMMON_HEADERS, ...headers })) {
      res.setHeader(key, value);
    }
    res.setHeader('content-security-policy', FILE_CSP);
    // Rooted at the file's folder: send's dotfile and traversal rules apply to the name only.
    send(req, `/${encodeURIComponent(path.basename(file))}`, {
      root: path.dirname(file),
      index: false,
      dotfiles: 'allow',
    })
      .on('headers', (response: ServerResponse) => {
        // send guesses the type from the name; the route knows it.
        response.setHeader('content-type', headers['content-type'] ?? 'application/octet-stream');
      })
      .on('error', (error: { status?: number; headers?: Record<string, string> }) => {
        if (error.status === 416) {
          res.removeHeader('content-type');
          res.writeHead(416, error.headers ?? {}).end();
        } else if (error.status === 404) {
          notFound(res); // swept between the look-up and the read
        } else {
          plain(res, error.status ?? 500, 'The file cannot be read right now.');
        }
        resolve();
      })
      .on('end', () => resolve())
      .pipe(res);
    res.once('close', () => resolve());
  });
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
