// A static file server for the page: node serve.mjs [PORT [MODEL_FOLDER]] (default 8080 and web/model; port 0 picks a
// free one). /model/ is served from MODEL_FOLDER, the folder tfcrnn export wrote.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const types = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream', '.json': 'application/json', '.css': 'text/css', '.map': 'application/json',
};

export function serve(port = 8080, modelFolder = join(root, 'model')) {
  const server = createServer((request, response) => {
    const url = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const [base, relative] = url.startsWith('/model/') ? [normalize(modelFolder) + sep, url.slice('/model/'.length)] : [root, url];
    const path = normalize(join(base, relative));
    const file = path.endsWith(sep) ? join(path, 'index.html') : path;
    let size;
    try {
      if (!file.startsWith(base)) throw new Error('outside');
      size = statSync(file).size;
    } catch {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-length': size });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await serve(Number(process.argv[2] ?? 8080), process.argv[3]);
  console.log(`serving ${root} at http://127.0.0.1:${server.address().port}/`);
}
