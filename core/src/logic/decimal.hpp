// Decimal number text to double, shared by the readers of answers (the JSON
// reader, the batch's CSV cells).
#pragma once

namespace trialscreen::logic {

// What std::strtod gives for `first`..`last`, a decimal number the caller has
// already checked: [-+]? digits [. digits] [(e|E) [-+]? digits], with at
// least one digit before any exponent. Most answers ("108.2", "0.4") take an
// exact shortcut that needs neither strtod nor a terminated copy of the text.
double decimal_value(const char* first, const char* last);

}  // namespace trialscreen::logic
