/**
 * Stands in for `@smithy/core/event-streams` in the deployed bundles (serverless.yml,
 * `custom.esbuild.alias`). IAM and STS, the SDK clients the functions use, have no
 * event-stream operation, yet the SDK's HTTP protocol reaches the event-stream code through a
 * dynamic `import()`: esbuild then turns that module and the ~160 SDK modules it depends on into
 * lazily initialised wrappers, every one initialised at load anyway. Without them `require` of a
 * bundle took about 6–11 ms less (scripts/bench/cold-start.ts; BENCHMARKS.md). Should an
 * operation with an event stream ever be called, it fails here, loudly, instead of misbehaving.
 */
const unsupported = (): never => {
  throw new Error(
    'credential-responder: event streams are not bundled (shared/no-event-streams.ts)',
  );
};

export class EventStreamSerde {
  constructor() {
    unsupported();
  }
}

export const eventStreamSerdeProvider = unsupported;
