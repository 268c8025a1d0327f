import { orderSequence } from '@fusync/demo';
import type { SequenceJson } from 'fusync';

/** The README's order example: what a first visit opens, laid out automatically. */
export const demoSequence: SequenceJson = orderSequence();
