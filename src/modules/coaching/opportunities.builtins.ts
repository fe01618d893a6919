import { momentSources } from './opportunities.moments.js';
import { peopleSources } from './opportunities.rules.people.js';
import { signalSources } from './opportunities.rules.signals.js';
import { registerOpportunitySource } from './opportunities.sources.js';

/** The built-in opportunity sources, registered once when the scan module loads. */
for (const source of [...signalSources, ...peopleSources, ...momentSources])
  registerOpportunitySource(source);
