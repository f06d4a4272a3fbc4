import { MAX_WIDTH, PROTOCOL_ENGINE, type EngineSettings } from '../engine/settings.js';
import { groupSchema, integer, listOf, number, optional, withDefault } from './option.js';

/** The networks and their training (a definition's `engine`): every sweep result records them. */
export const ENGINE_OPTIONS = {
  hidden: withDefault({
    flag: 'hidden',
    placeholder: 'widths',
    help: 'trunk hidden layer widths, e.g. 64,64',
    unit: 'units',
    kind: listOf(integer(1, MAX_WIDTH)),
    default: PROTOCOL_ENGINE.hidden,
  }),
  learningRate: withDefault({
    flag: 'lr',
    placeholder: 'rate',
    help: 'Adam learning rate',
    kind: number({ min: 0, max: 10, open: true }),
    default: PROTOCOL_ENGINE.learningRate,
  }),
  batchSize: withDefault({
    flag: 'batch-size',
    placeholder: 'n',
    help: 'mini-batch size',
    unit: 'rows',
    kind: integer(1, 10_000_000),
    default: PROTOCOL_ENGINE.batchSize,
  }),
  epochs: withDefault({
    flag: 'epochs',
    placeholder: 'n',
    help: 'the most passes over the training rows a network makes (fewer with --patience)',
    unit: 'epochs',
    kind: integer(1, 100_000),
    default: PROTOCOL_ENGINE.epochs,
  }),
  /**
   * Patience 8: on the yeast (360 networks) and emotions (260) journals of 30-epoch sweeps, stopping 8 epochs after
   * the last improvement changes no network's selected losses and skips 52% (yeast) and 17% (emotions) of the
   * network-epochs.
   */
  patience: withDefault({
    flag: 'patience',
    placeholder: 'n',
    help: 'stop a network after n epochs without a lower validation loss; 0: every network trains all epochs (PROTOCOL.md)',
    unit: 'epochs',
    kind: integer(0, 100_000),
    default: 8,
  }),
  taskWeights: optional({
    flag: 'task-weights',
    placeholder: 'weights',
    help: 'per-task loss weights, comma-separated in task order (null-control tasks last)',
    kind: listOf(number({ min: 0, max: 1e6 })),
    defaultText: 'all 1',
  }),
};

export const engineSchema = groupSchema(ENGINE_OPTIONS);

/** The engine settings a definition gets when it names none. */
export const DEFAULT_ENGINE: EngineSettings = engineSchema.parse({});
