// dnsctl: Nuage's operator CLI. Everything is in cli.cpp so that tests can run it in-process.
#include "tools/dnsctl/cli.hpp"

#include <iostream>

int main(int argc, char** argv)
{
    return nuage::dnsctl::run(argc, argv, std::cout, std::cerr);
}
