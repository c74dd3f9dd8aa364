#include "casework/dv_calendar.hpp"

#include <chrono>

#include "core/local_time.hpp"

namespace hl::casework {

TimeMs add_local_months(TimeMs t, int months) {
  using namespace std::chrono;
  const LocalDate d = local_date(t);
  const TimeMs time_of_day = t - start_of_local_day(d);
  const year_month ym = year_month{year{d.year}, month{d.month}} + std::chrono::months{months};
  const unsigned last = static_cast<unsigned>(year_month_day_last{ym.year(), month_day_last{ym.month()}}.day());
  const LocalDate target{static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()), d.day < last ? d.day : last};
  return start_of_local_day(target) + time_of_day;
}

}  // namespace hl::casework
