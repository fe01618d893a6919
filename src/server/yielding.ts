import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * Lets the HTTP server answer while a long database job runs. PGlite executes a query inside the
 * calling thread and resolves it at once, so a loader awaiting thousands of queries in a row never
 * gives Node's event loop a turn: the loading screen would hang until the job ends. This plugin
 * steps aside (`setImmediate`) after a query once `everyMs` have passed since the last time.
 */
export class YieldingPlugin implements KyselyPlugin {
  private last = Date.now();

  constructor(private readonly everyMs = 25) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (Date.now() - this.last >= this.everyMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.last = Date.now();
    }
    return args.result;
  }
}
