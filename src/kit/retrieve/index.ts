/** The retriever between a stream and the transport: what a stream asks for, and its pages in order. */
export * from './retriever.js';
export * from './request-for.js';
