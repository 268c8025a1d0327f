/**
 * The main entry is the documented API: its list of names is pinned here, so
 * adding or removing one is a visible decision (the engine's building blocks
 * live in `fusync/internal`, documented as unstable), and every name carries
 * TSDoc where it is declared.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

const src = fileURLToPath(new URL('../src', import.meta.url));

/** Names a module file exports through `export { … } from` / `export type { … } from` / `export *`. */
function exportedNames(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const names: string[] = [];
  for (const match of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)) {
    for (const part of (match[1] as string).split(',')) {
      const name = part.replace(/^\s*type\s+/, '').trim();
      if (name !== '') names.push(name.split(/\s+as\s+/).at(-1) as string);
    }
  }
  for (const match of source.matchAll(/export\s+\*\s+from\s+'([^']+)'/g))
    names.push(
      ...exportedNames(resolve(dirname(file), (match[1] as string).replace(/\.js$/, '.ts'))),
    );
  return names.sort();
}

const PUBLIC = [
  'AdvancedSequenceBuilder',
  'ArgumentError',
  'AttemptRecord',
  'Clock',
  'CriticalPath',
  'CycleError',
  'ErrorInfo',
  'ErrorPolicy',
  'FusyncError',
  'FusyncErrorCode',
  'GraphNode',
  'LAYER_NAME_PATTERN',
  'LIMITS',
  'LayerConfig',
  'LayerContext',
  'LayerFailedEvent',
  'LayerFunction',
  'LayerJson',
  'LayerQueuedEvent',
  'LayerRecord',
  'LayerRedeliveredEvent',
  'LayerRetryingEvent',
  'LayerReusedEvent',
  'LayerSkippedEvent',
  'LayerStartedEvent',
  'LayerStatus',
  'LayerSucceededEvent',
  'LayerTimeoutError',
  'LoadOptions',
  'Logger',
  'OmittedValue',
  'OperationRegistry',
  'PreviousRun',
  'QueueType',
  'RedisOptions',
  'RemoteRunRequest',
  'RemoteRunner',
  'RerunFrom',
  'RerunLayer',
  'RerunOptions',
  'RerunPlan',
  'RunCancelledError',
  'RunEvent',
  'RunEventType',
  'RunFinishedEvent',
  'RunHandle',
  'RunMetrics',
  'RunOptions',
  'RunRecord',
  'RunRecorder',
  'RunResult',
  'RunStartedEvent',
  'RunStatus',
  'SEQUENCE_FORMAT',
  'SEQUENCE_VERSION',
  'SequenceConfig',
  'SequenceConfigJson',
  'SequenceFormatError',
  'SequenceJson',
  'SimulateOptions',
  'StudioNodeJson',
  'TimelineOptions',
  'ValidationError',
  'VirtualClock',
  'WIRE_VALUE_LIMIT',
  'computeMetrics',
  'configFromJson',
  'consoleLogger',
  'criticalPath',
  'findCycle',
  'isOmittedValue',
  'layersFromJson',
  'parseSequenceJson',
  'parseSequenceText',
  'planRerun',
  'progressLogger',
  'renderGraph',
  'renderMetrics',
  'renderTimeline',
  'resolveOptions',
  'runCriticalPath',
  'runRecordFromEvents',
  'silentLogger',
  'simulate',
  'systemClock',
  'toSequenceJson',
  'toWireArgs',
  'toWireEvent',
  'toWireValue',
  'validateLayerConfig',
  'wouldCloseCycle',
].sort();

/** Every `.ts` source file (tests aside), with its text. */
function sources(): { file: string; text: string }[] {
  return readdirSync(src, { recursive: true, withFileTypes: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.includes('.test.'),
    )
    .map((entry) => {
      const file = join(entry.parentPath, entry.name);
      return { file, text: readFileSync(file, 'utf8') };
    });
}

describe('public API', () => {
  it('exports exactly the pinned names from the main entry', () => {
    expect(exportedNames(join(src, 'index.ts'))).toEqual(PUBLIC);
  });

  it('exports at run time every pinned value, and nothing else', () => {
    const values = Object.keys(api).sort();
    expect(values.every((name) => PUBLIC.includes(name))).toBe(true);
    expect(values).toContain('AdvancedSequenceBuilder');
  });

  it('documents every public name with TSDoc where it is declared', () => {
    const files = sources();
    const undocumented = PUBLIC.filter((name) => {
      const declaration = new RegExp(
        `/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/\\s*(?://[^\\n]*\\n\\s*)*export\\s+(?:declare\\s+)?(?:abstract\\s+)?(?:async\\s+)?(?:function|class|interface|type|const|let)\\s+${name}\\b`,
      );
      return !files.some(({ text }) => declaration.test(text));
    });
    expect(undocumented).toEqual([]);
  });
});
