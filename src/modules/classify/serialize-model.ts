/**
 * Compact binary model format, little-endian:
 *
 *   0  "ALCM" magic            4  u16 format version     6  u16 reserved (0)
 *   8  u32 header byte length  12 UTF-8 JSON header, zero-padded to a multiple of 4
 *   then Float32/Int32 sections whose lengths the header fixes:
 *   feature keys i32[F] · idf f32[F] · weights f32[F·K] · bias f32[K] · class thresholds f32[K]
 *
 * Weights dominate (4 bytes × features × classes); the header holds labels, taxonomy, calibration and settings.
 * Every length is checked on reading, so truncated or foreign bytes fail with a clear error, never a bad model.
 */
import { z } from 'zod';
import { ZFeatureConfig } from './classify.schema.js';
import { MODEL_FORMAT_VERSION, type TrainedModel } from './classify.types.js';
import { ClassifyError } from './classify-error.js';
import { buildHashedVocabulary } from './hashed-vocabulary.js';

const MAGIC = [0x41, 0x4c, 0x43, 0x4d]; // "ALCM": AnswerLoop Classifier Model
const PREAMBLE_BYTES = 12;

const ZHeldOut = z.object({
  examples: z.number().int().min(0),
  accuracy: z.number(),
  coverage: z.number(),
  precision: z.number(),
});

const ZMemberNumbers = z.object({ lr: z.number(), svm: z.number(), prototype: z.number() });
const ZSelection = z.object({
  charWeight: z.number(),
  svmC: z.number(),
  blend: ZMemberNumbers,
  temperatures: ZMemberNumbers,
  folds: z.number().int(),
  accuracy: z.number(),
});
/** Oldest format version this build reads: version 1 differs only by a header without `selection`. */
const OLDEST_READABLE_VERSION = 1;

const ZModelHeader = z.object({
  labels: z.array(z.string()).min(1),
  parentOf: z.record(z.string(), z.string()),
  numFeatures: z.number().int().min(0),
  temperature: z.number().positive(),
  threshold: z.number().min(0),
  parentThreshold: z.number().min(0),
  targetPrecision: z.number(),
  hyperparameters: z.object({
    epochs: z.number(),
    l2: z.number(),
    learningRate: z.number(),
    classWeight: z.enum(['balanced', 'none']),
    holdoutFraction: z.number(),
    refit: z.boolean(),
    seed: z.number(),
    features: ZFeatureConfig,
    selection: ZSelection.nullable().optional(),
  }),
  trainedOn: z.object({ examples: z.number().int().min(0), heldOut: ZHeldOut.nullable() }),
});
type ModelHeader = z.infer<typeof ZModelHeader>;

/** Serialises a model to bytes (its length is the model's size). */
export function serializeModel(model: TrainedModel): Uint8Array {
  const header: ModelHeader = {
    labels: model.labels,
    parentOf: model.parentOf,
    numFeatures: model.linear.numFeatures,
    temperature: model.temperature,
    threshold: model.threshold,
    parentThreshold: model.parentThreshold,
    targetPrecision: model.targetPrecision,
    hyperparameters: model.hyperparameters,
    trainedOn: model.trainedOn,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.length / 4) * 4;
  const f = model.linear.numFeatures;
  const k = model.labels.length;
  const sections: (Int32Array | Float32Array)[] = [
    model.features.vocabulary.keys,
    model.features.idf,
    model.linear.weights,
    model.linear.bias,
    model.classThresholds,
  ];
  const expected = [f, f, f * k, k, k];
  sections.forEach((section, i) => {
    if (section.length !== expected[i])
      throw new ClassifyError('MODEL_FORMAT', 'Model arrays have inconsistent sizes.');
  });
  const total = PREAMBLE_BYTES + headerBytes + 4 * expected.reduce((sum, n) => sum + n, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint16(4, MODEL_FORMAT_VERSION, true);
  view.setUint32(8, headerBytes, true);
  bytes.set(json, PREAMBLE_BYTES);
  let offset = PREAMBLE_BYTES + headerBytes;
  for (const section of sections) {
    if (section instanceof Int32Array)
      for (let i = 0; i < section.length; i++) view.setInt32(offset + 4 * i, section[i]!, true);
    else for (let i = 0; i < section.length; i++) view.setFloat32(offset + 4 * i, section[i]!, true);
    offset += 4 * section.length;
  }
  return bytes;
}

function formatError(message: string): ClassifyError {
  return new ClassifyError('MODEL_FORMAT', `Not a readable classifier model: ${message}`);
}

/** Reads a model written by serializeModel; throws ClassifyError('MODEL_FORMAT') on anything else. */
export function deserializeModel(bytes: Uint8Array): TrainedModel {
  if (bytes.length < PREAMBLE_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) throw formatError('wrong magic bytes.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version < OLDEST_READABLE_VERSION || version > MODEL_FORMAT_VERSION) {
    throw formatError(
      `format version ${version}; this build reads versions ${OLDEST_READABLE_VERSION} to ${MODEL_FORMAT_VERSION}.`,
    );
  }
  const headerBytes = view.getUint32(8, true);
  if (PREAMBLE_BYTES + headerBytes > bytes.length) throw formatError('truncated header.');
  let header: ModelHeader;
  try {
    const text = new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerBytes));
    header = ZModelHeader.parse(JSON.parse(text.replace(/\0+$/, '')));
  } catch (error) {
    throw formatError(`bad header (${error instanceof Error ? error.message : String(error)}).`);
  }
  const f = header.numFeatures;
  const k = header.labels.length;
  const expectedBytes = PREAMBLE_BYTES + headerBytes + 4 * (2 * f + f * k + 2 * k);
  if (bytes.length !== expectedBytes) throw formatError(`expected ${expectedBytes} bytes, got ${bytes.length}.`);
  let offset = PREAMBLE_BYTES + headerBytes;
  const readInt32 = (n: number) => {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getInt32(offset + 4 * i, true);
    offset += 4 * n;
    return out;
  };
  const readFloat32 = (n: number) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(offset + 4 * i, true);
    offset += 4 * n;
    return out;
  };
  const keys = readInt32(f);
  const idf = readFloat32(f);
  const weights = readFloat32(f * k);
  const bias = readFloat32(k);
  const classThresholds = readFloat32(k);
  return {
    formatVersion: version,
    labels: header.labels,
    parentOf: header.parentOf,
    features: { config: header.hyperparameters.features, vocabulary: buildHashedVocabulary(keys), idf },
    linear: { numFeatures: f, numClasses: k, weights, bias },
    temperature: header.temperature,
    threshold: header.threshold,
    parentThreshold: header.parentThreshold,
    classThresholds,
    targetPrecision: header.targetPrecision,
    hyperparameters: header.hyperparameters,
    trainedOn: header.trainedOn,
  };
}
