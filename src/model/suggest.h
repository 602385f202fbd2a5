// "Did you mean" suggestions: the closest word by edit distance.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace netlens {

// ASCII lower case, for names matched case-insensitively.
std::string lower(std::string_view text);
// The closest candidate within a third of the word's length, or "".
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" for the closest candidate, or "" when none is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
// The same for a suggestion found another way ("" stays "").
std::string did_you_mean(const std::string& suggestion);

}  // namespace netlens
