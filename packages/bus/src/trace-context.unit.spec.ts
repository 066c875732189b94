import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { context, createContextKey, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import type { CloudEvent } from '@l2o/contracts';
import type { Context, ContextManager, TextMapPropagator } from '@opentelemetry/api';
import { extractTraceContext, withActiveTraceContext } from './trace-context.ts';

// A stand-in for the W3C propagator an SDK would register: it copies a value between context and headers.
const traceKey = createContextKey('test-trace');
const testPropagator: TextMapPropagator = {
  inject: (ctx, carrier, setter) => {
    const value = ctx.getValue(traceKey);
    if (typeof value === 'string') setter.set(carrier, 'traceparent', value);
  },
  extract: (ctx, carrier, getter) => {
    const value = getter.get(carrier, 'traceparent');
    return typeof value === 'string' ? ctx.setValue(traceKey, value) : ctx;
  },
  fields: () => ['traceparent'],
};

// Synchronous stand-in for the SDK's AsyncLocalStorage context manager; the code under test is synchronous.
function createStackContextManager(): ContextManager {
  const stack: Context[] = [];
  const manager: ContextManager = {
    active: () => stack.at(-1) ?? ROOT_CONTEXT,
    with: (ctx, fn, thisArg, ...args) => {
      stack.push(ctx);
      try {
        return fn.call(thisArg, ...args);
      } finally {
        stack.pop();
      }
    },
    bind: (_ctx, target) => target,
    enable: () => manager,
    disable: () => manager,
  };
  return manager;
}

const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const event: CloudEvent = {
  specversion: '1.0',
  id: 'e-1',
  type: 'l2o.lead.captured.v1',
  source: '/l2o/ingestion',
  subject: 'lead-1',
  time: '2025-03-01T10:00:00.000Z',
  datacontenttype: 'application/json',
  tenantid: 't',
  streamversion: 1,
  data: {},
};

describe('trace context', () => {
  beforeEach(() => context.setGlobalContextManager(createStackContextManager()));
  afterEach(() => {
    propagation.disable();
    context.disable();
  });

  it('adds the active context to an event that has none', () => {
    propagation.setGlobalPropagator(testPropagator);
    const traced = context.with(ROOT_CONTEXT.setValue(traceKey, traceparent), () => withActiveTraceContext(event));
    expect(traced.traceparent).toBe(traceparent);
  });

  it('keeps the trace context an event already carries', () => {
    propagation.setGlobalPropagator(testPropagator);
    const own = { ...event, traceparent: '00-11111111111111111111111111111111-2222222222222222-01' };
    const traced = context.with(ROOT_CONTEXT.setValue(traceKey, traceparent), () => withActiveTraceContext(own));
    expect(traced).toBe(own);
  });

  it('changes nothing when no propagator is registered', () => {
    expect(withActiveTraceContext(event)).toBe(event);
  });

  it('reads the context from buffer headers', () => {
    propagation.setGlobalPropagator(testPropagator);
    expect(extractTraceContext({ traceparent: Buffer.from(traceparent) }).getValue(traceKey)).toBe(traceparent);
  });
});
