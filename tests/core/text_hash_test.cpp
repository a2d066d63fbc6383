// The core's text tables compare keys with same_text (core/src/text_hash.hpp),
// eight bytes at a time and the last bytes as one word: a question id, a memo
// key or a criterion object found for another text would be a wrong answer.
#include <string>

#include <gtest/gtest.h>

#include "../../core/src/text_hash.hpp"

namespace {

TEST(TextHash, SameTextSeesEveryByteOfTextsOfEveryLength) {
  for (std::size_t length = 0; length <= 40; ++length) {
    std::string text;
    for (std::size_t i = 0; i < length; ++i) text += static_cast<char>('a' + i % 26);
    EXPECT_TRUE(trialscreen::same_text(text, std::string(text))) << length;
    for (std::size_t at = 0; at < length; ++at) {
      std::string other = text;
      other[at] = static_cast<char>(other[at] ^ 0x20);
      EXPECT_FALSE(trialscreen::same_text(text, other)) << length << " differing at " << at;
      EXPECT_FALSE(trialscreen::same_text(other, text)) << length << " differing at " << at;
    }
    EXPECT_FALSE(trialscreen::same_text(text, text + "x")) << length;
  }
}

TEST(TextHash, EqualTextsHashAlikeAndOneByteChangesTheHash) {
  // Not a promise that texts never collide, only that the last bytes count
  // (the tables index by the hash's low bits).
  const std::string id = "psychiatric_depression_or_suicidal";
  EXPECT_EQ(trialscreen::text_hash(id), trialscreen::text_hash(std::string(id)));
  for (std::size_t at = 0; at < id.size(); ++at) {
    std::string other = id;
    other[at] = static_cast<char>(other[at] ^ 0x01);
    EXPECT_NE(trialscreen::text_hash(id), trialscreen::text_hash(other)) << at;
  }
}

}  // namespace
