package words

import "fmt"

// Again is text said for the n-th time in a row: from the second time on
// it carries the count, "✗ Wrong code. … (2nd time)", so a refusal that
// repeats the last one reads as new, on screen and to a screen reader.
func Again(text string, n int) string {
	if n <= 1 || text == "" {
		return text
	}
	return fmt.Sprintf("%s (%s time)", text, Ordinal(n))
}

// Ordinal is n as "1st", "2nd", "3rd", "4th", "11th", "21st"….
func Ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}
