// expect: violation
#include <fstream>
#include <iostream>
#include <string>
int main() { std::ifstream f("/etc/passwd"); std::string s; std::getline(f, s); std::cout << s; }
