// Embind bindings: this file only binds. All behaviour lives in the core's
// JSON-text façade (core/include/trialscreen/session.hpp); JSON strings cross
// the boundary, never exceptions (emcc builds with exceptions off).
#include <cstdint>
#include <string>

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "trialscreen/session.hpp"
#include "trialscreen/trial.hpp"

namespace {

std::string engine_version_string() { return trialscreen::engine_version(); }

// A session from the trial file's UTF-8 bytes, which the wrapper has copied
// into the module's memory in one HEAPU8.set: Embind's own conversion of a JS
// string walks a 100 KB trial one character at a time in JavaScript, cold, on
// every page load (docs/performance.md, "Start-up").
trialscreen::TrialSession* session_from_bytes(std::uintptr_t bytes, std::size_t size) {
  return new trialscreen::TrialSession(std::string(reinterpret_cast<const char*>(bytes), size));
}

// Text kept in the session, as a view of its UTF-8 bytes in the module's
// memory, valid until the session's next call: Embind's own std::string
// return walks every byte in JavaScript before decoding it, a sixth of an
// evaluation for a 4 KB result and a cold loop over the 100 KB definition at
// start-up (docs/performance.md, "Seventh session").
emscripten::val bytes_view(const std::string& text) {
  return emscripten::val(
      emscripten::typed_memory_view(text.size(), reinterpret_cast<const unsigned char*>(text.data())));
}

// The result with its criteria by number (TrialSession::screen_numbered), for
// answers and options as UTF-8 bytes the wrapper has written into the
// module's memory (TextEncoder.encodeInto): Embind's conversion of a string
// argument walks it twice in JavaScript, a character at a time.
emscripten::val screen_view(trialscreen::TrialSession& session, std::uintptr_t answers, std::size_t answers_size,
                            std::uintptr_t options, std::size_t options_size) {
  return bytes_view(session.screen_numbered(std::string(reinterpret_cast<const char*>(answers), answers_size),
                                            std::string(reinterpret_cast<const char*>(options), options_size)));
}

// Every rule's reply (RuleSetSession::apply) for data as UTF-8 bytes the
// wrapper has written into the module's memory, as a view of its bytes: one
// crossing per document, the text copied neither way by Embind.
emscripten::val rule_set_apply_view(trialscreen::RuleSetSession& session, std::uintptr_t data, std::size_t size) {
  return bytes_view(session.apply(std::string(reinterpret_cast<const char*>(data), size)));
}

emscripten::val definition_view(trialscreen::TrialSession& session) { return bytes_view(session.definition_kept()); }

}  // namespace

EMSCRIPTEN_BINDINGS(trialscreen) {
  emscripten::function("engineVersion", &engine_version_string);

  emscripten::class_<trialscreen::TrialSession>("TrialSession")
      .constructor<std::string>()
      .constructor(&session_from_bytes, emscripten::allow_raw_pointers())
      .function("ok", &trialscreen::TrialSession::ok)
      .function("loadError", &trialscreen::TrialSession::load_error)
      .function("definitionView", &definition_view)
      .function("screenView", &screen_view)
      .function("lint", &trialscreen::TrialSession::lint)
      .function("forget", &trialscreen::TrialSession::forget);

  emscripten::class_<trialscreen::LogicSession>("LogicSession")
      .constructor<std::string>()
      .function("ok", &trialscreen::LogicSession::ok)
      .function("compileError", &trialscreen::LogicSession::compile_error)
      .function("apply", &trialscreen::LogicSession::apply)
      .function("dataNames", &trialscreen::LogicSession::data_names);

  emscripten::class_<trialscreen::RuleSetSession>("RuleSetSession")
      .constructor<std::string>()
      .function("ok", &trialscreen::RuleSetSession::ok)
      .function("compileError", &trialscreen::RuleSetSession::compile_error)
      .function("applyView", &rule_set_apply_view, emscripten::allow_raw_pointers())
      .function("dataNames", &trialscreen::RuleSetSession::data_names);
}
