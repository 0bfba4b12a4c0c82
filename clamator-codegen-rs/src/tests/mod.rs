//! Tests of the private stages: the emitter on hand-built IR, and the fixture registry written
//! from the generator's own names.

mod emit;
mod fixture_registry;
