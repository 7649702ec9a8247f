// Drives the emulator with the unmodified npm client kling-api@1.0.0 (https://www.npmjs.com/package/kling-api):
// only its documented constructor option `baseUrl` points it at the emulator. Prints one JSON line.
import { KlingAPI } from 'kling-api';
import { readFileSync, statSync } from 'node:fs';

const api = new KlingAPI({
  accessKey: process.env.KLING_ACCESS_KEY,
  secretKey: process.env.KLING_SECRET_KEY,
  baseUrl: process.env.KLING_BASE_URL,
});
const externalTaskId = process.env.EXTERNAL_TASK_ID;
try {
  const created = await api.textToVideo({
    prompt: 'A paper boat drifting down a rain-soaked street',
    model_name: 'kling-v1',
    duration: '5',
    external_task_id: externalTaskId,
  });
  const result = await api.waitForVideoResult(created.data.task_id, undefined,
    { interval: 250, timeout: 60000, showSpinner: false });
  const paths = await api.saveVideoResult(result, process.env.OUTPUT_DIR, 'paper boat');
  const head = readFileSync(paths[0]).subarray(4, 8).toString('latin1');
  console.log(JSON.stringify({
    ok: true,
    createCode: created.code,
    taskId: created.data.task_id,
    createdStatus: created.data.task_status,
    externalTaskId: created.data.task_info?.external_task_id ?? null,
    finalStatus: result.data.task_status,
    videoUrl: result.data.task_result.videos[0].url,
    savedFile: paths[0],
    savedBytes: statSync(paths[0]).size,
    mp4Box: head,
  }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: String(error?.message ?? error), code: error?.code ?? null }));
  process.exitCode = 1;
}
