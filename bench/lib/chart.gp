# Chart of one benchmark run: warm-path throughput (left) and the wake-up overhead distribution (right).
# Called by bench/run: gnuplot -e "warm='..'; wakeup='..'; out='..'; subtitle='..'; nwarm=6; ncold=3" bench/lib/chart.gp
set terminal pngcairo size 1400,560 font "DejaVu Sans,10" noenhanced
set output out
set multiplot layout 1,2 title "Smart Gateway benchmark — ".subtitle

set title "Warm path: requests/s (median over runs; higher is better)"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top right
set ylabel "requests/s"
set yrange [0:*]
set grid ytics
set xtics rotate by -30
if (nwarm > 0) {
  plot warm using 2:xtic(1) title "direct" lc rgb "#7f7f7f", \
       '' using 3 title "nginx" lc rgb "#2ca02c", \
       '' using 4 title "gateway" lc rgb "#1f77b4"
} else {
  set label 3 "no warm-path data" at graph 0.4, graph 0.5
  set yrange [0:1]
  plot NaN notitle
}

unset label 3
set title "Cold burst: response arrival after the VM's port opened (CDF)"
unset style
set style data lines
set xtics norotate
set logscale x 10
set xrange [0.1:*]
set xlabel "ms since the VM's port opened (log scale)"
set ylabel "fraction of responses"
set yrange [0:1.02]
set key bottom right
set arrow 1 from 10, graph 0 to 10, graph 1 nohead dt 2 lc rgb "#d62728"
set label 1 "10 ms" at 10, graph 0.97 offset 0.5,0 tc rgb "#d62728"
if (ncold > 0) {
  plot for [i=0:ncold-1] wakeup index i using 1:2 with steps lw 2 title columnheader(1)
} else {
  set label 2 "no cold-burst data" at graph 0.4, graph 0.5
  plot NaN notitle
}
unset multiplot
