// The shared recognizer cases through recognizer.mjs (no browser), and what only the JavaScript side has.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modelInfo, OptionError, recognizerOptions, StreamingRecognizer } from '../recognizer.mjs';
import { loadCases, runCase, scriptedModel } from './recognizer-cases.mjs';

const cases = loadCases();
// Posteriors and scores as TfCrnn.Runtime computes them in single precision; times are exact multiples of the hop. A
// case may allow more (`tolerance`): a model over the speech embedding computes its log-mel in C# there and with the
// encoder's graph here.
const defaultTolerance = 1e-5;

/** What the runtime's tests do with a case's "error": the option is refused, its name in the message (case and _ aside). */
const names = (text) => text.toLowerCase().replaceAll('_', '');

for (const c of cases.cases) {
  test(`recognizer case: ${c.name}`, async () => {
    if (c.error) {
      await assert.rejects(runCase(cases, c), (e) => {
        assert.ok(e instanceof OptionError, `not an option error: ${e.stack}`);
        assert.ok(names(e.message).includes(names(c.error)), `'${e.message}' does not name ${c.error}`);
        return true;
      });
      return;
    }
    const run = await runCase(cases, c);
    const expected = c.expected;
    const tolerance = c.tolerance ?? defaultTolerance;
    assert.equal(run.lanes, expected.lanes, 'lanes');
    // One model call a step (after the clip of silence that primes the lanes), each with one window for all lanes:
    // one trunk pass per step.
    assert.equal(run.model.calls, run.model.info.stepsPerClip - 1 + expected.posteriors.length, 'model calls');
    assert.equal(run.model.windowsPassed, run.model.calls, 'windows passed');
    assert.equal(run.steps.length, expected.posteriors.length, 'steps');
    run.steps.forEach((posteriors, i) => posteriors.forEach((p, k) =>
      assert.ok(Math.abs(p - expected.posteriors[i][k]) <= tolerance, `step ${i} class ${k}: ${p}, expected ${expected.posteriors[i][k]}`)));
    assert.deepEqual(run.detections.map((d) => `${d.step} ${d.word}`), expected.detections.map((d) => `${d.step} ${d.word}`), 'detections');
    run.detections.forEach((d, i) => {
      for (const key of ['start', 'end', 'score'])
        assert.ok(Math.abs(d[key] - expected.detections[i][key]) <= tolerance, `detection ${i} ${key}: ${d[key]}, expected ${expected.detections[i][key]}`);
    });
  });
}

test('the model metadata supplies the defaults and options of the wrong kind are refused', () => {
  const { info } = scriptedModel(cases.models.crnn);
  const defaults = recognizerOptions(info);
  assert.deepEqual(defaults, { state: { kind: 'sliding' }, smoothingSteps: 3, threshold: 0.8, refractorySeconds: 1, keywords: [0, 1] });
  // The page's query gives strings: ?threshold=abc is a number that is not one.
  assert.throws(() => recognizerOptions(info, { threshold: Number('abc') }), /^Error: threshold: must lie in \[0, 1\], got NaN$/);
  assert.throws(() => recognizerOptions(info, { threshold: '0.5' }), /threshold/);
  assert.throws(() => recognizerOptions(info, { smoothing_steps: 1.5 }), /smoothing_steps/);
  assert.throws(() => recognizerOptions(info, { keywords: 'yes' }), /keywords: must be a list of words/);
  assert.throws(() => recognizerOptions(info, { treshold: 0.5 }), /treshold: is not an option/);
  assert.throws(() => new StreamingRecognizer(info, () => {}, { state: 'reset:0' }), /state: 'reset:0': '0' is not a positive number/);
});

test('an exported model\'s metadata gives the recognizer its numbers', () => {
  const info = modelInfo(cases.models.step75.metadata);
  // Without 'steps' (an export from before the key), the authors' 2 × (clip div window) − 1; with it, the key.
  assert.equal(info.stepsPerClip, 11);
  assert.equal(modelInfo({ ...cases.models.step75.metadata, steps: '7' }).stepsPerClip, 7);
  assert.equal(modelInfo(cases.models.steps5.metadata).stepsPerClip, 5);
  assert.throws(() => modelInfo({ ...cases.models.step75.metadata, steps: '13' }), /13 steps per clip .* do not fit in the 16000-sample clip/);
  assert.throws(() => modelInfo({ ...cases.models.step75.metadata, steps: 'x' }), /model metadata 'steps' missing or not a number/);
  assert.deepEqual(info.keywordIndices, [0, 1]);
  assert.equal(info.inputScale, 2);
  assert.throws(() => modelInfo({ ...cases.models.step75.metadata, hop: 'x' }), /model metadata 'hop' missing or not a number/);
});
