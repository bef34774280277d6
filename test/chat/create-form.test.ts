import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkCreateForm,
  describeRequest,
  formErrorsText,
  formValuesOf,
  modelAndResolutionChoices,
  modelChoiceOf,
  modelChoices,
  readModelChoice,
  requestFromForm,
  resolutionChoices,
  secondsChoices,
} from '../../src/chat/create-form.ts';

describe('create form', () => {
  it('offers only the models that can be created, with their facts in a line', () => {
    const ids = modelChoices().map((choice) => choice.value);
    assert.ok(ids.includes('veo_3_1_fast'));
    assert.ok(ids.includes('openAiSora2Pro'));
    assert.ok(!ids.some((id) => id.includes('seedance')), 'Seedance has no create rules');
    const fast = modelChoices().find((choice) => choice.value === 'veo_3_1_fast');
    assert.equal(fast?.label, 'VEO 3.1 Fast');
    assert.match(fast?.description ?? '', /8 s clips · 720p\/1080p\/4K · up to 3 reference images/);
    for (const choice of modelAndResolutionChoices()) {
      assert.ok(choice.value.length <= 100 && choice.label.length <= 100);
      assert.ok((choice.description ?? '').length <= 100);
    }
  });

  it('offers every clip length and resolution some model makes', () => {
    assert.deepEqual(
      secondsChoices().map((c) => c.value),
      ['4', '8', '12'],
    );
    assert.deepEqual(
      resolutionChoices().map((c) => c.value),
      ['720p', '1080p', '4K'],
    );
    assert.doesNotMatch(resolutionChoices()[2]?.description ?? '', /Stable/);
  });

  it('reads a model and resolution picked as one', () => {
    const values = modelAndResolutionChoices().map((c) => c.value);
    assert.ok(values.includes('veo_3_1_pro@4K'));
    assert.ok(values.includes('openAiSora2Plus'));
    assert.ok(!values.includes('veo_3_1_fast_stable@4K'));
    assert.deepEqual(readModelChoice('veo_3_1_pro@4K'), { model: 'veo_3_1_pro', resolution: '4K' });
    assert.deepEqual(readModelChoice('openAiSora2Plus'), { model: 'openAiSora2Plus' });
    assert.equal(modelChoiceOf({ model: 'veo_3_1_fast', prompt: 'x' }), 'veo_3_1_fast@720p');
    assert.equal(
      modelChoiceOf({ model: 'veo_3_1_fast', prompt: 'x', resolution: '4K' }),
      'veo_3_1_fast@4K',
    );
  });

  it('makes a request with the service field names, leaving empty fields to the model', () => {
    assert.deepEqual(
      requestFromForm({
        model: 'veo_3_1_fast',
        prompt: '  a fox in snow ',
        orientation: '9:16',
        seconds: '',
        resolution: '1080p',
        image: 'https://img.example/fox.png',
      }),
      {
        model: 'veo_3_1_fast',
        prompt: 'a fox in snow',
        aspect_ratio: '9:16',
        resolution: '1080p',
        input_reference: 'https://img.example/fox.png',
      },
    );
    assert.deepEqual(requestFromForm({ model: 'openAiSora2Pro', prompt: 'x', seconds: '12' }), {
      model: 'openAiSora2Pro',
      prompt: 'x',
      seconds: 12,
    });
  });

  it('puts each rule the request breaks beside its own field', () => {
    const check = checkCreateForm({
      model: 'veo_3_1_fast_stable',
      prompt: ' ',
      seconds: '4',
      resolution: '4K',
      image: 'ftp://x',
    });
    assert.equal(check.ok, false);
    if (check.ok) return;
    assert.match(check.errors.prompt ?? '', /^Prompt is required/);
    assert.match(check.errors.seconds ?? '', /always 8 s/);
    assert.match(check.errors.resolution ?? '', /720p/);
    assert.match(check.errors.image ?? '', /no reference images/);
    assert.equal(check.errors.model, undefined);
    assert.match(formErrorsText(check.errors), /^Prompt: Prompt is required.* Clip length: /);
  });

  it('refuses a model it cannot create, on the model field', () => {
    const check = checkCreateForm({ model: 'seedance-1-0-pro', prompt: 'x' });
    assert.equal(check.ok, false);
    if (!check.ok) assert.match(check.errors.model ?? '', /can be watched but not created/);
  });

  it('passes a good submission as the request to send', () => {
    const check = checkCreateForm({
      model: 'openAiSora2Pro',
      prompt: 'a cat',
      orientation: '9:16',
      seconds: '8',
    });
    assert.deepEqual(check, {
      ok: true,
      request: { model: 'openAiSora2Pro', prompt: 'a cat', aspect_ratio: '9:16', seconds: 8 },
    });
  });

  it('fills a form again from a request, also from a Sora size', () => {
    const request = {
      model: 'openAiSora2Pro',
      prompt: 'a cat',
      size: '720x1280',
      duration: 12,
      input_reference: ['https://img.example/a.png', 'https://img.example/b.png'],
    };
    assert.deepEqual(formValuesOf(request), {
      model: 'openAiSora2Pro',
      prompt: 'a cat',
      orientation: '9:16',
      seconds: '12',
      image: 'https://img.example/a.png',
    });
    const again = { model: 'veo_3_1_pro', prompt: 'p', aspect_ratio: '16:9', resolution: '4K' };
    assert.deepEqual(requestFromForm(formValuesOf(again)), again);
  });

  it('says the parameters in one line, with the model defaults filled in', () => {
    assert.equal(
      describeRequest({ model: 'veo_3_1_fast', prompt: 'x', aspect_ratio: '16:9' }),
      'VEO 3.1 Fast · 16:9 · 8 s · 720p',
    );
    assert.equal(
      describeRequest({
        model: 'openAiSora2Pro',
        prompt: 'x',
        size: '1280x720',
        seconds: 12,
        input_reference: 'https://img.example/a.png',
      }),
      'Sora 2 Pro · 1280x720 · 12 s · 1 reference image',
    );
  });
});
