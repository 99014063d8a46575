module hoop-runbooks/bench/gotemplate

go 1.21
