// Drives the page in headless Chromium with a WAV file as the microphone and prints what it heard as JSON:
//   node test/browser.mjs MODEL_FOLDER FILE.wav SECONDS [SCREENSHOT.png] [QUERY]   (QUERY: e.g. keywords=yes,no&threshold=0.9)
// {"status": "...", "detections": [{"word", "score", "start", "end"}, ...]}. Chromium: $CHROMIUM or /usr/bin/chromium.
import { chromium } from 'playwright-core';
import { serve } from '../serve.mjs';

const [modelFolder, wav, seconds, screenshot, query] = process.argv.slice(2);
const server = await serve(0, modelFolder);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 720, height: 820 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/?model=model/step.onnx${query ? `&${query}` : ''}`);
  await page.waitForFunction(() => window.tfcrnn?.status !== 'loading', null, { timeout: 120_000 });
  // A page that cannot listen (a bad model or query) says why in its status, which is printed as it is.
  if (await page.evaluate(() => window.tfcrnn.status.startsWith('ready'))) {
    await page.click('#listen');
    await page.waitForFunction(() => !window.tfcrnn.status.startsWith('ready'), null, { timeout: 60_000 });
    await page.waitForTimeout(Number(seconds) * 1000);
  }
  const result = await page.evaluate(() => ({ status: window.tfcrnn.status, detections: window.tfcrnn.detections }));
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ ...result, errors }));
} finally {
  await browser.close();
  server.close();
}
