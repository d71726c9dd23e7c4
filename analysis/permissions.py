"""Who may do the analysis of a hearing: the municipality's moderators and editors (as for remarks to
single responses). Council members see the staff pages and the summary, and change nothing."""

from accounts.rules import may_remark

may_analyse = may_remark
