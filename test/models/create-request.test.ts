import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CreateRequest,
  checkCreateRequest,
  creatableModels,
  MODELS,
  modelInfo,
  PROMPT_MAX_LENGTH,
} from '../../src/models/index.ts';

const SORA = { model: 'openAiSora2Plus', prompt: 'a cat surfing' } as const;
const VEO = { model: 'veo_3_1_fast', prompt: 'a cat surfing' } as const;
const IMG = 'https://img.example/a.png';

/** The fields the problems name, in order, or the body when the request passed. */
function fieldsOf(request: unknown): string[] {
  const checked = checkCreateRequest(request as CreateRequest);
  return checked.ok ? [] : checked.problems.map((p) => p.field);
}

function bodyOf(request: CreateRequest): Record<string, unknown> {
  const checked = checkCreateRequest(request);
  assert.ok(checked.ok, JSON.stringify(checked));
  return checked.create.body;
}

describe('create requests: every model', () => {
  const cases: Array<[string, unknown, string[]]> = [
    ['no model', { prompt: 'x' }, ['model']],
    ['a blank model', { model: '  ', prompt: 'x' }, ['model']],
    ['a model that is not a string', { model: 42, prompt: 'x' }, ['model']],
    ['no prompt', { model: SORA.model }, ['prompt']],
    ['a blank prompt', { ...VEO, prompt: ' \n ' }, ['prompt']],
    ['a prompt that is not a string', { ...VEO, prompt: ['x'] }, ['prompt']],
    ['a prompt too long', { ...SORA, prompt: 'x'.repeat(PROMPT_MAX_LENGTH + 1) }, ['prompt']],
    ['an unknown field', { ...SORA, image_urls: [IMG] }, ['image_urls']],
    ['everything at once', { model: '', prompt: '', colour: 'red' }, ['colour', 'prompt', 'model']],
  ];
  for (const [what, request, fields] of cases) {
    it(`names the field for ${what}`, () => assert.deepEqual(fieldsOf(request), fields));
  }

  it('trims the prompt, and takes one of exactly the longest length', () => {
    assert.equal(bodyOf({ ...SORA, prompt: '  a cat \n' }).prompt, 'a cat');
    assert.deepEqual(fieldsOf({ ...SORA, prompt: 'x'.repeat(PROMPT_MAX_LENGTH) }), []);
  });

  it('says which models can be watched but not created, naming the model', () => {
    for (const model of ['seedance_2_0', 'grok-video-1', 'vidu-q2', 'videos', 'veo_4', 'new']) {
      const checked = checkCreateRequest({ model, prompt: 'x' });
      assert.ok(!checked.ok, model);
      const name = modelInfo(model).displayName;
      assert.deepEqual(checked.problems, [
        { field: 'model', message: `${name} can be watched but not created from here` },
      ]);
    }
    const seedance = checkCreateRequest({ model: 'seedance_2_0', prompt: 'x' });
    assert.ok(!seedance.ok);
    assert.equal(
      seedance.problems[0]?.message,
      'Seedance 2.0 can be watched but not created from here',
    );
  });
});

describe('create requests: Sora', () => {
  const cases: Array<[string, object, string[]]> = [
    ['an unknown size', { size: '1920x1080' }, ['size']],
    ['an unknown aspect ratio', { aspect_ratio: '4:3' }, ['aspect_ratio']],
    ['size and aspect ratio', { size: '720x1280', aspect_ratio: '9:16' }, ['aspect_ratio']],
    ['an unknown length', { seconds: 10 }, ['seconds']],
    ['a length as text', { seconds: '8' }, ['seconds']],
    ['an unknown duration', { duration: 5 }, ['duration']],
    ['seconds and duration', { seconds: 4, duration: 4 }, ['duration']],
    ['a resolution', { resolution: '720p' }, ['resolution']],
    ['two images', { input_reference: [IMG, IMG] }, ['input_reference']],
    [
      'an image that is not http(s)',
      { input_reference: 'ftp://img.example/a.png' },
      ['input_reference'],
    ],
    ['an image list of non-strings', { input_reference: [1] }, ['input_reference']],
    ['a first frame', { first_frame: IMG }, ['first_frame']],
    ['a last frame', { last_frame: IMG }, ['last_frame']],
  ];
  for (const [what, extra, fields] of cases) {
    it(`refuses ${what}, naming ${fields.join(', ')}`, () => {
      assert.deepEqual(fieldsOf({ ...SORA, ...extra }), fields);
    });
  }

  it('collects every problem in one answer', () => {
    assert.deepEqual(
      fieldsOf({
        model: 'openAiSora2Pro',
        prompt: ' ',
        size: '1x1',
        aspect_ratio: '9:16',
        duration: 5,
        input_reference: [IMG, 'nope'],
      }),
      ['prompt', 'size', 'aspect_ratio', 'duration', 'input_reference', 'input_reference'],
    );
  });

  it('sends the body the Sora endpoint takes: one image as image_urls, the length as asked', () => {
    const checked = checkCreateRequest({
      model: 'openAiSora2Pro',
      prompt: 'a cat',
      aspect_ratio: '16:9',
      duration: 8,
      input_reference: IMG,
    });
    assert.ok(checked.ok);
    assert.equal(checked.create.endpoint, '/v1/sora/videos');
    assert.deepEqual(checked.create.body, {
      model: 'openAiSora2Pro',
      prompt: 'a cat',
      aspect_ratio: '16:9',
      duration: 8,
      image_urls: [IMG],
    });
    assert.equal(checked.create.clipSeconds, 8);
    assert.deepEqual(bodyOf({ ...SORA, size: '1280x720', seconds: 12 }), {
      ...SORA,
      size: '1280x720',
      seconds: 12,
    });
    // Nothing asked: the service's default length, nothing sent but the two fields.
    const plain = checkCreateRequest(SORA);
    assert.ok(plain.ok);
    assert.deepEqual(plain.create.body, SORA);
    assert.equal(plain.create.clipSeconds, 4);
    assert.equal(plain.create.resolution, undefined);
    assert.deepEqual(bodyOf({ ...SORA, input_reference: [] }), SORA);
  });
});

describe('create requests: VEO', () => {
  const cases: Array<[string, object, string[]]> = [
    ['an unknown resolution', { resolution: '8K' }, ['resolution']],
    ['a resolution in other case', { resolution: '4k' }, ['resolution']],
    ['4K on fast stable', { model: 'veo_3_1_fast_stable', resolution: '4K' }, ['resolution']],
    ['4K on pro stable', { model: 'veo_3_1_pro_stable', resolution: '4K' }, ['resolution']],
    ['an unknown aspect ratio', { aspect_ratio: '1:1' }, ['aspect_ratio']],
    ['a size', { size: '1280x720' }, ['size']],
    ['another length', { seconds: 4 }, ['seconds']],
    ['another duration', { duration: 12 }, ['duration']],
    ['four reference images', { input_reference: [IMG, IMG, IMG, IMG] }, ['input_reference']],
    [
      'reference images on fast stable',
      { model: 'veo_3_1_fast_stable', input_reference: IMG },
      ['input_reference'],
    ],
    ['a frame that is not http(s)', { first_frame: 'data:image/png;base64,AA' }, ['first_frame']],
    ['a last frame alone', { last_frame: IMG }, ['last_frame']],
    ['references and frames', { input_reference: [IMG], first_frame: IMG }, ['first_frame']],
  ];
  for (const [what, extra, fields] of cases) {
    it(`refuses ${what}, naming ${fields.join(', ')}`, () => {
      assert.deepEqual(fieldsOf({ ...VEO, ...extra }), fields);
    });
  }

  it('says a VEO clip is always 8 s', () => {
    const checked = checkCreateRequest({ ...VEO, seconds: 5 });
    assert.ok(!checked.ok);
    assert.deepEqual(checked.problems, [
      { field: 'seconds', message: 'seconds must be 8: VEO 3.1 Fast clips are always 8 s' },
    ]);
  });

  it('sends the body the VEO endpoint takes, with references or frames', () => {
    const refs = ['https://a.example/1.png', 'https://a.example/2.png', 'http://a.example/3.png'];
    const checked = checkCreateRequest({
      model: 'veo_3_1_pro',
      prompt: 'a cat',
      resolution: '4K',
      aspect_ratio: '9:16',
      seconds: 8,
      input_reference: refs,
    });
    assert.ok(checked.ok);
    assert.equal(checked.create.endpoint, '/v1/veo/videos');
    // The length is fixed, so it is not sent.
    assert.deepEqual(checked.create.body, {
      model: 'veo_3_1_pro',
      prompt: 'a cat',
      resolution: '4K',
      aspect_ratio: '9:16',
      input_reference: refs,
    });
    assert.equal(checked.create.clipSeconds, 8);
    assert.equal(checked.create.resolution, '4K');

    assert.deepEqual(
      bodyOf({ ...VEO, model: 'veo_3_1_fast_stable', first_frame: IMG, last_frame: IMG }),
      { ...VEO, model: 'veo_3_1_fast_stable', first_frame: IMG, last_frame: IMG },
    );
    const plain = checkCreateRequest(VEO);
    assert.ok(plain.ok);
    assert.deepEqual(plain.create.body, VEO);
    assert.equal(plain.create.resolution, '720p');
    assert.equal(plain.create.clipSeconds, 8);
  });
});

describe('creatableModels', () => {
  it('lists the Sora and VEO models with the choices a form offers', () => {
    const models = creatableModels();
    assert.deepEqual(
      models.map((m) => m.id),
      [
        'openAiSora2Plus',
        'openAiSora2Pro',
        'veo_3_1_fast',
        'veo_3_1_pro',
        'veo_3_1_fast_stable',
        'veo_3_1_pro_stable',
      ],
    );
    const sora = models[1];
    assert.deepEqual(sora, {
      id: 'openAiSora2Pro',
      displayName: 'Sora 2 Pro',
      family: 'sora',
      sizes: ['720x1280', '1280x720'],
      aspectRatios: ['9:16', '16:9'],
      clipSeconds: [4, 8, 12],
      defaultClipSeconds: 4,
      resolutions: [],
      defaultResolution: undefined,
      maxReferenceImages: 1,
      frameMode: false,
      notes: sora?.notes,
    });
    assert.match(sora?.notes ?? '', /real people's portraits are likely to be refused/i);
    assert.match(sora?.notes ?? '', /orientation/);

    const fastStable = models.find((m) => m.id === 'veo_3_1_fast_stable');
    assert.deepEqual(fastStable?.resolutions, ['720p', '1080p']);
    assert.equal(fastStable?.maxReferenceImages, 0);
    assert.equal(fastStable?.frameMode, true);
    const pro = models.find((m) => m.id === 'veo_3_1_pro');
    assert.deepEqual(pro?.resolutions, ['720p', '1080p', '4K']);
    assert.equal(pro?.defaultResolution, '720p');
    assert.deepEqual(pro?.clipSeconds, [8]);
    assert.deepEqual(pro?.sizes, []);
    assert.equal(pro?.maxReferenceImages, 3);
  });

  it('offers only choices the validator accepts, for every creatable model', () => {
    for (const model of creatableModels()) {
      const shapes = [
        ...model.sizes.map((size) => ({ size })),
        ...model.aspectRatios.map((aspect_ratio) => ({ aspect_ratio })),
      ];
      const resolutions = model.resolutions.length > 0 ? model.resolutions : [undefined];
      for (const shape of shapes) {
        for (const seconds of model.clipSeconds) {
          for (const resolution of resolutions) {
            const request: CreateRequest = { model: model.id, prompt: 'x', ...shape, seconds };
            if (resolution !== undefined) request.resolution = resolution;
            if (model.maxReferenceImages > 0) {
              request.input_reference = Array(model.maxReferenceImages).fill(IMG);
            }
            assert.deepEqual(fieldsOf(request), [], JSON.stringify(request));
          }
        }
      }
      assert.equal(MODELS[model.id]?.create?.endpoint.startsWith('/v1/'), true);
    }
  });
});
