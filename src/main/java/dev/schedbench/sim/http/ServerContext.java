package dev.schedbench.sim.http;

import dev.schedbench.sim.LiveEngine;

/** What every request handler and exchange of one server shares. */
record ServerContext(
        LiveEngine engine,
        ServedModel served,
        ResponseWriters writers,
        ServingMetrics metrics,
        PacingStats pacing,
        ResponseBodies bodies,
        SimTokenizer.OutputVocabulary vocabulary) {}
