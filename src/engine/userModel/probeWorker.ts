/**
 * The probe thread of the watchdog (watchdog.ts): imports the user's model module, loads its data or tries its trunk
 * and times one training step, saying which call it is in before each, so that the thread that started it can name
 * the call that exits, never settles or never returns.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../data/errors.js';
import { loadUserData } from '../../data/userData.js';
import { importUserModel, userModelBackend } from './load.js';
import type { ProbeJob, ProbeMessage, ProbeReply } from './watchdog.js';
import { buildNetwork } from './load.js';
import { interceptExit } from './exitGuard.js';

const port = parentPort;
if (!port) throw new Error('engine/userModel/probeWorker.js must run as a worker thread');
const send = (message: ProbeMessage): void => port.postMessage(message);
const enter = interceptExit((code, call) => send({ type: 'exit', code, call }));
const during = (call: string): void => {
  enter(call);
  send({ type: 'during', call });
};

async function answer(job: ProbeJob): Promise<ProbeReply> {
  during('import');
  const module = await importUserModel(job.ref);
  if (job.kind === 'load') {
    if (!job.loader || !module.loadData) return { kind: 'load', hasLoadData: module.loadData !== undefined };
    during('loadData()');
    const dataset = await loadUserData(module.loadData, { origin: job.ref.source, ...job.loader });
    return { kind: 'load', hasLoadData: true, dataset };
  }
  during('trunk()');
  const backend = await userModelBackend(job.requested, job.ref, job.inputShape, job.slots);
  during('a training step');
  return { kind: 'train', backend, stepMs: timeStep(module, job) };
}

/** The median of three training steps (forward and backward pass on one batch of zeros) after a warm-up, in ms. */
function timeStep(module: Parameters<typeof buildNetwork>[0], job: Extract<ProbeJob, { kind: 'train' }>): number {
  const network = buildNetwork(module, job.ref, job.inputShape, job.slots, 0);
  try {
    const x = tf.zeros([job.batchSize, ...job.inputShape]);
    const step = (): number => {
      const start = performance.now();
      tf.tidy(() => {
        const variables = network.trainableWeights.map((w) => w.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => tf.sum(network.apply(x, { training: true }) as tf.Tensor), variables);
        for (const grad of Object.values(grads)) grad.dataSync();
      });
      return performance.now() - start;
    };
    step();
    const times = [step(), step(), step()].sort((a, b) => a - b);
    x.dispose();
    return times[1];
  } finally {
    network.dispose();
  }
}

port.once('message', async (job: ProbeJob) => {
  try {
    const reply = await answer(job);
    enter(undefined);
    // the dataset's arrays move to the other thread rather than being copied
    const transfer =
      reply.kind === 'load' && reply.dataset ? [reply.dataset.features.buffer, reply.dataset.targets.buffer] : [];
    port.postMessage({ type: 'done', reply } satisfies ProbeMessage, transfer as ArrayBuffer[]);
  } catch (error) {
    enter(undefined);
    if (error instanceof InputError) send({ type: 'input', message: error.message });
    else send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
